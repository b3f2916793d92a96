// `npm run demo`: a GitHub stand-in on 127.0.0.1, two engagements walked from opened to completed
// by running dist/index.js once per webhook event, as the Actions runner would (one migration
// engagement, one enablement engagement), then each issue's thread printed as a reader sees it.
import { ASSIGNER, TestWorld, WITHOUT_ACCOUNT_TEAM, WITH_ACCOUNT_TEAM, frontMatter } from '../test/support/harness.js';

const HIDDEN = /<!-- engagement-bot:[^ ]+ -->\n?/g;

function print(w: TestWorld, number: number): void {
  const issue = w.issue(number);
  const rule = '═'.repeat(100);
  console.log(`\n${rule}\n#${issue.number} ${issue.title}   [${issue.state}${issue.stateReason ? `: ${issue.stateReason}` : ''}]`);
  console.log(`labels: ${issue.labels.join(', ') || '—'}   assignees: ${issue.assignees.join(', ') || '—'}\n${rule}`);
  console.log(issue.body.replace(HIDDEN, '').trimEnd());
  for (const c of issue.comments) {
    console.log(`\n── @${c.author} ${'─'.repeat(Math.max(0, 94 - c.author.length))}`);
    console.log(c.body.replace(HIDDEN, '').trimEnd());
  }
}

async function walk(w: TestWorld, name: string, fields: Record<string, string>, labels: string[], taskLabel: string, confirmFirst: boolean): Promise<number[]> {
  const n = await w.openEngagement(frontMatter(fields), { title: `Engagement completion: ${name}` });
  console.log(`${name}: opened #${n}`);
  await w.deliver('dist');
  for (const label of labels) {
    await w.addLabel(n, label);
    console.log(`${name}: the FM added ${label}`);
    await w.deliver('dist');
  }
  const request = w.issue(n).subIssues[0]?.number as number;
  const confirm = async () => {
    await w.comment(request, '/queue-moved', ASSIGNER);
    console.log(`${name}: @${ASSIGNER} commented /queue-moved on #${request}`);
    await w.deliver('dist');
  };
  const markTask = async () => {
    await w.addLabel(n, taskLabel);
    console.log(`${name}: the FM added ${taskLabel}`);
    await w.deliver('dist');
  };
  if (confirmFirst) {
    await confirm();
    await markTask();
  } else {
    await markTask();
    await confirm();
  }
  return [n, request];
}

const [withTeam, withoutTeam] = await Promise.all([TestWorld.start({ repo: 'contoso-ft/engagements' }), TestWorld.start({ repo: 'contoso-ft/engagements' })]);
try {
  const started = Date.now();
  const [a, b] = await Promise.all([
    walk(withTeam, 'Contoso (migration; account team, ready for another workload)', WITH_ACCOUNT_TEAM, ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent'], 'task-4060-done', false),
    walk(withoutTeam, 'Fabrikam (enablement; no account team, not ready)', { ...WITHOUT_ACCOUNT_TEAM, playbook: 'enablement' }, ['enablement-complete', 'workload-not-ready', 'follow-up-sent'], 'task-4058-done', true),
  ]);
  for (const n of a ?? []) print(withTeam, n);
  for (const n of b ?? []) print(withoutTeam, n);
  const calls = withTeam.gh.requests.filter((r) => r.actor === 'github-actions[bot]').length + withoutTeam.gh.requests.filter((r) => r.actor === 'github-actions[bot]').length;
  console.log(`\nBoth engagements completed in ${((Date.now() - started) / 1000).toFixed(1)} s; engagement-bot made ${calls} API calls in all.`);
} finally {
  await Promise.all([withTeam.close(), withoutTeam.close()]);
}
