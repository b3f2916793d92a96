// One scheduled scan, run in a process of its own so that its peak RSS is the scan's alone (the
// GitHub stand-in lives in the benchmark's process). Prints its own figures as JSON.
import { parseConfig } from '../src/config.js';
import { OctokitGitHub, createOctokit } from '../src/github/octokit.js';
import { runScanMode } from '../src/modes/scan.js';
import { loadMessages } from '../src/files/templates.js';

const [url, repo, token] = process.argv.slice(2) as [string, string, string];
const inputs: Record<string, string> = { 'github-token': token, 'max-writes': '1000000', 'assignment-team': `${repo.split('/')[0]}/assignment` };
const config = parseConfig((name) => inputs[name] ?? '', { GITHUB_REPOSITORY: repo });
// Unpaced: the benchmark counts calls and measures the scan, not GitHub's one-write-a-second pacing.
const gh = new OctokitGitHub(createOctokit(token, { baseUrl: url, pacing: 'none' }));
const started = performance.now();
const report = await runScanMode({ config, gh, messages: loadMessages(), now: () => new Date(), log: { info: () => undefined, warning: () => undefined } });
console.log(
  JSON.stringify({
    wallMs: performance.now() - started,
    decisionMs: report.decisionMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    engagements: report.rows.length,
    stalled: report.stalled,
    writes: report.writes,
  }),
);
