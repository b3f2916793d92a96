// `npm run screenshots`: the pictures in docs/, taken in a real browser. An engagement is walked on
// the GitHub stand-in by the action itself (the migration playbook, to the handoff step, the
// assignment team confirming); its issue page is rendered as GitHub renders issue Markdown (GFM,
// micromark; a line break in an issue is a line break), laid out as GitHub lays out an issue (the
// pinned comment first, minimized comments folded, reactions under a comment), and Debian's
// chromium takes the screenshot. Needs `chromium` (apt-get install chromium); CI does not run it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { ASSIGNER, BOT, STEP_NAMES, TestWorld, addEngagementBoard, frontMatter } from '../test/support/harness.js';
import type { IssueView } from '../test/support/github-standin/index.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const REACTION: Record<string, string> = { '+1': '👍', '-1': '👎', rocket: '🚀' };

/** GitHub issue Markdown: GFM where a line break inside a paragraph is a line break. */
function gfmHtmlOf(markdown: string): string {
  const html = micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(<p>[\s\S]*?<\/p>)/g, (p) => p.replace(/\n(?!<\/p>)/g, '<br>\n'))
    .replace(/<blockquote>\s*<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]<br>/g, (_, kind: string) => `<blockquote class="alert ${kind.toLowerCase()}"><p><strong>${kind.charAt(0)}${kind.slice(1).toLowerCase()}</strong><br>`);
}

const CSS = `
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; color: #1f2328; margin: 0; background: #fff; }
main { width: 880px; margin: 24px auto; }
h1.title { font-size: 26px; font-weight: 400; margin: 0 0 4px; } h1.title span { color: #59636e; }
.state { display: inline-block; background: #1f883d; color: #fff; border-radius: 2em; padding: 4px 12px; font-weight: 600; margin-right: 8px; }
.meta { color: #59636e; margin-bottom: 16px; border-bottom: 1px solid #d1d9e0; padding-bottom: 12px; }
.label { display: inline-block; border-radius: 2em; padding: 0 8px; font-size: 12px; font-weight: 600; background: #ddf4ff; color: #0969da; margin-right: 4px; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; margin: 16px 0; }
.comment.pinned { border-color: #9a6700; }
.head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; border-radius: 6px 6px 0 0; color: #59636e; }
.pinned .head { background: #fff8c5; }
.head b { color: #1f2328; }
.body { padding: 8px 16px; } .body h3 { margin: 8px 0; font-size: 18px; }
.folded { border: 1px solid #d1d9e0; border-radius: 6px; margin: 16px 0; padding: 8px 16px; color: #59636e; background: #f6f8fa; }
code { background: #eff1f3; border-radius: 6px; padding: 0.2em 0.4em; font-size: 85%; }
pre { background: #f6f8fa; padding: 12px; border-radius: 6px; white-space: pre-wrap; }
blockquote { margin: 0; padding: 0 1em; color: #59636e; border-left: 0.25em solid #d1d9e0; }
blockquote.alert.important { border-left-color: #8250df; } blockquote.alert.important strong { color: #8250df; }
blockquote.alert.warning { border-left-color: #9a6700; } blockquote.alert.warning strong { color: #9a6700; }
.reactions span { display: inline-block; border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 8px; margin: 0 16px 8px; background: #ddf4ff; }
ul.contains-task-list { list-style: none; padding-left: 1em; }
a { color: #0969da; text-decoration: none; }
`;

function commentHtml(c: IssueView['comments'][number]): string {
  if (c.minimized) return `<div class="folded">This comment was marked as ${c.minimized}. <a href="#">Show comment</a></div>`;
  const reactions = c.reactions.length ? `<div class="reactions">${c.reactions.map((r) => `<span>${REACTION[r.content] ?? r.content} 1</span>`).join('')}</div>` : '';
  const author = c.author.replace(/\[bot\]$/, '');
  return `<div class="comment${c.pinned ? ' pinned' : ''}"><div class="head">${c.pinned ? '📌 Pinned · ' : ''}<b>${author}</b>${c.author.endsWith('[bot]') ? ' <span class="label">bot</span>' : ''} commented</div><div class="body">${gfmHtmlOf(c.body)}</div>${reactions}</div>`;
}

function pageHtml(issue: IssueView, request: IssueView | null): string {
  const pinned = issue.comments.filter((c) => c.pinned);
  const rest = issue.comments.filter((c) => !c.pinned);
  const body = { ...rest[0], id: 0, author: issue.author, body: issue.body, minimized: null, pinned: false, reactions: [] } as IssueView['comments'][number];
  return `<!doctype html><meta charset="utf-8"><style>${CSS}</style><main>
<h1 class="title">${issue.title} <span>#${issue.number}</span></h1>
<div class="meta"><span class="state">Open</span>${issue.labels.map((l) => `<span class="label">${l}</span>`).join('')} · assigned to ${issue.assignees.join(', ')}${request ? ` · sub-issue #${request.number}` : ''}</div>
${pinned.map(commentHtml).join('\n')}
${commentHtml(body)}
${rest.map(commentHtml).join('\n')}
</main>`;
}

function shoot(html: string, file: string, height: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'engagement-bot-shot-'));
  try {
    const page = join(dir, 'page.html');
    writeFileSync(page, html);
    execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, '--hide-scrollbars', `--window-size=1000,${height}`, `--screenshot=${file}`, `file://${page}`], { stdio: 'ignore' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const w = await TestWorld.start();
try {
  w.defineLabels();
  // Lists in flow style read as one line each once rendered (a block list would take in the key after it).
  const fields = {
    customer: 'Contoso Ltd',
    tenant: 'contoso.onmicrosoft.com',
    region: 'EMEA',
    fm: 'fm-alice',
    fm_name: 'Alice Martins',
    account_team: '[ana.souza@contoso.com, atu@contoso.com]',
    services: '[Exchange Online, SharePoint Online]',
    completed_activities: '[Mailbox migration, Teams enablement]',
  };
  const n = await w.openEngagement(frontMatter(fields, '\nKick-off notes: mailboxes moved in two waves; Teams enabled for all 1,200 users.\n'));
  await w.deliver('in-process', { 'assignment-assignees': ASSIGNER });
  for (const label of ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent']) {
    await w.addLabel(n, label);
    await w.deliver('in-process', { 'assignment-assignees': ASSIGNER });
  }
  const request = w.issue(n).subIssues[0]?.number ?? null;
  // The assignment team confirms on the engagement itself, so its 👍 shows on this page.
  await w.comment(n, '/queue-moved', ASSIGNER);
  await w.deliver('in-process');
  mkdirSync('docs', { recursive: true });
  const issue = w.issue(n);
  if (!issue.comments.some((c) => c.author === BOT && c.pinned)) throw new Error('no pinned status: the picture would not show it');
  shoot(pageHtml(issue, request === null ? null : w.issue(request)), join(process.cwd(), 'docs', 'engagement.png'), 2000);
  console.log('docs/engagement.png');
} finally {
  await w.close();
}

// The board: engagements on one organisation project, kept by the action.
const b = await TestWorld.start();
try {
  const org = 'contoso-ft';
  const inputs = { project: `https://github.com/orgs/${org}/projects/3` };
  addEngagementBoard(b.gh, org, 3, 'FastTrack engagements');
  b.gh.grantProjects(BOT, org);
  b.gh.addUser('fm-bruno');
  b.gh.addCollaborator(b.repo, 'fm-bruno', 'write');
  b.defineLabels();
  const walks: Array<[Record<string, string>, string[]]> = [
    [{ customer: 'Contoso Ltd', region: 'EMEA' }, ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent']],
    [{ customer: 'Fabrikam', region: 'Americas' }, ['migration-complete', 'workload-not-ready']],
    [{ customer: 'Northwind Traders', region: 'APJ' }, ['migration-complete']],
    [{ customer: 'Tailspin Toys', region: 'EMEA' }, []],
    [{ customer: 'Woodgrove Bank', region: 'Americas' }, ['migration-complete', 'workload-ready']],
  ];
  for (const [k, [fields, labels]] of walks.entries()) {
    const n = await b.openEngagement(frontMatter({ tenant: `t${k}.onmicrosoft.com`, fm: k % 2 ? 'fm-bruno' : 'fm-alice', ...fields }), { assignees: [k % 2 ? 'fm-bruno' : 'fm-alice'], title: `Engagement completion: ${fields.customer}` });
    await b.deliver('in-process', inputs);
    for (const label of labels) {
      await b.addLabel(n, label);
      await b.deliver('in-process', inputs);
    }
  }
  const project = b.gh.project(org, 3);
  const titles = new Map(b.gh.issues(b.repo).map((i) => [i.number, i.title]));
  const rows = [...project.items]
    .sort((x, y) => STEP_NAMES.indexOf(String(x.values.Step)) - STEP_NAMES.indexOf(String(y.values.Step)) || x.content.number - y.content.number)
    .map((i) => `<tr><td>${titles.get(i.content.number)} <span class="num">${i.content.repo.split('/')[1]}#${i.content.number}</span></td><td><span class="pill">${i.values.Step ?? ''}</span></td><td>${i.values.Region ?? ''}</td><td>${i.values.FM ?? ''}</td><td>${i.values['Step since'] ?? ''}</td><td>${i.values['Next action date'] ?? ''}</td></tr>`)
    .join('');
  const html = `<!doctype html><meta charset="utf-8"><style>${CSS}
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #d1d9e0; padding: 6px 10px; text-align: left; font-size: 13px; }
th { color: #59636e; font-weight: 600; background: #f6f8fa; } .num { color: #59636e; } .pill { border-radius: 2em; padding: 0 8px; background: #ddf4ff; color: #0969da; font-weight: 600; font-size: 12px; }
</style><main><h1 class="title">${project.title} <span>· Table</span></h1><div class="meta">${org} · ${project.items.length} items</div>
<table><tr><th>Title</th><th>Step</th><th>Region</th><th>FM</th><th>Step since</th><th>Next action date</th></tr>${rows}</table></main>`;
  shoot(html, join(process.cwd(), 'docs', 'board.png'), 420);
  console.log('docs/board.png');
} finally {
  await b.close();
}
