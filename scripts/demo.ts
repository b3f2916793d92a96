// `npm run demo`: three engagements walked from opened to completed, each in its own ticket
// repository on a GitHub stand-in on 127.0.0.1, by running dist/index.js once per webhook event as
// the Actions runner would; then each issue's thread printed as a reader sees it on GitHub.
//   - Contoso: migration, with an account team, ready for another workload; task 4060 first.
//   - Fabrikam: enablement, no account team, not ready; an outsider's /queue-moved is refused,
//     then the assignment team confirms, before task 4058.
//   - Woodgrove & Cia.: migration in pt-BR (front-matter `locale: pt-BR`), with an account team,
//     not ready; confirmation first.
import { ASSIGNER, BOT, OUTSIDER, TestWorld, WITHOUT_ACCOUNT_TEAM, WITH_ACCOUNT_TEAM, frontMatter } from '../test/support/harness.js';
import { bodyText, plainText } from './demo-text.js';

interface Story {
  /** Short name for the progress lines. */
  name: string;
  /** What the walk shows, printed above its threads. */
  about: string;
  repo: string;
  title: string;
  fields: Record<string, string>;
  /** The labels the FM adds, in order, up to the transfer request. */
  labels: string[];
  /** The FTOP task's label. */
  task: string;
  order: 'task first' | 'confirmation first';
  /** Someone who may not confirm the queue move, and tries before the assignment team does. */
  refusedBy?: string;
}

const STORIES: Story[] = [
  {
    name: 'Contoso',
    about: 'migration, with an account team, customer ready for another workload; task 4060 first, then the queue move',
    repo: 'contoso-ft/engagements-contoso',
    title: 'Engagement completion: Contoso Ltd',
    fields: WITH_ACCOUNT_TEAM,
    labels: ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent'],
    task: 'task-4060-done',
    order: 'task first',
  },
  {
    name: 'Fabrikam',
    about: `enablement, no account team, customer not ready; @${OUTSIDER} (not in the assignment team) tries /queue-moved and is refused, then @${ASSIGNER} confirms; task 4058 last`,
    repo: 'contoso-ft/engagements-fabrikam',
    title: 'Engagement completion: Fabrikam',
    fields: { ...WITHOUT_ACCOUNT_TEAM, playbook: 'enablement' },
    labels: ['enablement-complete', 'workload-not-ready', 'follow-up-sent'],
    task: 'task-4058-done',
    order: 'confirmation first',
    refusedBy: OUTSIDER,
  },
  {
    name: 'Woodgrove',
    about: 'migration in Portuguese (locale: pt-BR), with an account team, customer not ready; the queue move first, then task 4060',
    repo: 'contoso-ft/engagements-woodgrove',
    title: 'Conclusão do envolvimento: Woodgrove & Cia.',
    fields: {
      customer: 'Woodgrove & Cia. Ltda.',
      tenant: 'woodgrovebr.onmicrosoft.com',
      region: 'Américas',
      fm: WITH_ACCOUNT_TEAM.fm,
      locale: 'pt-BR',
      account_team: '\n  - {name: João Pereira, email: joao.pereira@woodgrove.com.br}',
      services: '[Exchange Online, OneDrive]',
      completed_activities: '\n  - Migração das caixas de correio\n  - Migração dos arquivos para o OneDrive',
    },
    labels: ['migration-complete', 'account-team-notified', 'workload-not-ready', 'follow-up-sent'],
    task: 'task-4060-done',
    order: 'confirmation first',
  },
];

const width = Math.max(...STORIES.map((s) => s.name.length));
const say = (story: Story, text: string) => console.log(`${story.name.padEnd(width)} │ ${text}`);

/** Walks one engagement to completion; returns the engagement's issue number and its transfer request's. */
async function walk(w: TestWorld, story: Story): Promise<number[]> {
  const n = await w.openEngagement(frontMatter(story.fields), { title: story.title });
  say(story, `the FM opened ${w.repo}#${n}`);
  await w.deliver('dist');
  for (const label of story.labels) {
    await w.addLabel(n, label);
    say(story, `the FM added ${label}`);
    await w.deliver('dist');
  }
  const request = w.issue(n).subIssues[0]?.number;
  if (request === undefined) throw new Error(`${story.name}: no transfer request after ${story.labels.join(', ')}`);
  const confirm = async (by: string) => {
    await w.comment(request, '/queue-moved', by);
    say(story, `@${by} commented /queue-moved on #${request}`);
    await w.deliver('dist');
  };
  const markTask = async () => {
    await w.addLabel(n, story.task);
    say(story, `the FM added ${story.task}`);
    await w.deliver('dist');
  };
  if (story.order === 'task first') await markTask();
  if (story.refusedBy) {
    await confirm(story.refusedBy);
    const answer = w.issue(request).comments.at(-1);
    say(story, answer?.author === BOT ? `the bot answered @${story.refusedBy}: ${plainText(answer.body).split('\n')[0]}` : `the bot did not answer @${story.refusedBy}`);
  }
  await confirm(ASSIGNER);
  if (story.order === 'confirmation first') await markTask();
  return [n, request];
}

function print(w: TestWorld, number: number): void {
  const issue = w.issue(number);
  const rule = '═'.repeat(100);
  const state = `${issue.state}${issue.stateReason ? ` (${issue.stateReason})` : ''}`;
  console.log(`\n${rule}\n${w.repo}#${issue.number}  ${issue.title}`);
  console.log(`${state} · labels: ${issue.labels.join(', ') || '—'} · assignees: ${issue.assignees.map((a) => `@${a}`).join(', ') || '—'}\n${rule}`);
  console.log(bodyText(issue.body));
  // As GitHub shows it: the pinned comment at the top, minimized comments folded to one line,
  // and the reactions under a comment.
  const pinned = issue.comments.filter((c) => c.pinned);
  for (const c of [...pinned, ...issue.comments.filter((x) => !x.pinned)]) {
    const head = `${c.pinned ? '📌 pinned · ' : ''}@${c.author}`;
    console.log(`\n── ${head} ${'─'.repeat(Math.max(0, 96 - head.length))}`);
    if (c.minimized) {
      console.log(`(hidden as ${c.minimized}: ${plainText(c.body).split('\n')[0]})`);
      continue;
    }
    console.log(plainText(c.body));
    if (c.reactions.length > 0) console.log(`   ${c.reactions.map((r) => `${REACTION[r.content] ?? r.content} @${r.user}`).join('  ')}`);
  }
}

const REACTION: Record<string, string> = { '+1': '👍', '-1': '👎', rocket: '🚀' };

const started = Date.now();
const worlds = await Promise.all(STORIES.map((s) => TestWorld.start({ repo: s.repo })));
try {
  const walked = await Promise.all(STORIES.map((s, k) => walk(worlds[k] as TestWorld, s)));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  STORIES.forEach((story, k) => {
    const w = worlds[k] as TestWorld;
    console.log(`\n\n▶ ${story.name}: ${story.about}  (${w.repo})`);
    for (const n of walked[k] ?? []) print(w, n);
  });
  const completed = STORIES.filter((_, k) => worlds[k]?.issue(walked[k]?.[0] as number).stateReason === 'completed').length;
  const calls = worlds.reduce((sum, w) => sum + w.gh.requests.filter((r) => r.actor === BOT).length, 0);
  console.log(`\n${completed} of ${STORIES.length} engagements completed in ${seconds} s; engagement-bot made ${calls} API calls in all.`);
  if (completed !== STORIES.length) process.exitCode = 1;
} finally {
  await Promise.all(worlds.map((w) => w.close()));
}
