// What an FM and an assignment team see on an engagement, rendered as GitHub renders issue
// Markdown (GFM, micromark): one live status pinned at the top that names the current step after
// every move, finished step messages folded away as outdated, and a reaction on every command.
// Every run under test is dist/index.js.
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { markersIn } from '../src/process/markers.js';
import { ASSIGNER, BOT, FM, OUTSIDER, WITH_ACCOUNT_TEAM, frontMatter, type TestWorld } from './support/harness.js';
import { statusOf, world } from './support/scenarios.js';

/** A comment as a reader sees it: rendered as GFM, tags and hidden markers gone. */
function asRead(markdown: string): { html: string; text: string } {
  const html = micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'");
  return { html, text };
}

/** The status's heading as read: "📌 Status: discussion". */
function statusHeading(w: TestWorld, n: number): string {
  const status = statusOf(w, n);
  if (!status) throw new Error('no status');
  return /<h3>([^<]*)<\/h3>/.exec(asRead(status.body).html)?.[1] ?? '';
}

const STEPS = ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent', 'task-4060-done'];
const NAMES = ['awaiting migration', 'preparation', 'discussion', 'follow-up', 'disengagement', 'completed'];

describe.concurrent('what people see on an engagement', () => {
  it('one status, pinned, names the current step after every move; earlier step messages are minimized as outdated', async (test) => {
    const w = await world(test);
    w.defineLabels();
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    await w.deliver();
    const seen: string[] = [statusHeading(w, n)];
    for (const label of STEPS.slice(0, 4)) {
      await w.addLabel(n, label);
      await w.deliver();
      seen.push(statusHeading(w, n));
      const status = statusOf(w, n);
      expect(status?.pinned, `pinned after ${label}`).toBe(true);
      // One status comment, edited in place: never a second one.
      expect(w.issue(n).comments.filter((c) => c.author === BOT && markersIn(c.body)[0] === 'status')).toHaveLength(1);
      // Only the current step's message is open work; every earlier one is folded as outdated.
      const steps = w.issue(n).comments.filter((c) => c.author === BOT && markersIn(c.body)[0]?.startsWith('step/'));
      expect(steps.filter((c) => c.minimized === null).map((c) => markersIn(c.body)[0])).toHaveLength(1);
      expect(steps.filter((c) => c.minimized !== null).every((c) => c.minimized === 'outdated')).toBe(true);
    }
    expect(seen).toEqual(NAMES.slice(0, 5).map((name) => `📌 Status: ${name}`));
    // The status says what happens next and who confirms, with the request linked, and mentions nobody.
    const { text, html } = asRead(statusOf(w, n)?.body ?? '');
    expect(text).toContain('the assignment team confirms the queue move with /queue-moved');
    expect(text).toContain('FTOP next action date: 31 December');
    expect(html).toMatch(/<a href="https:\/\/github\.com\/[^"]+\/issues\/\d+">#\d+<\/a>/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // An @login outside inline code would notify on every edit.
    const mentions = () => asRead(statusOf(w, n)?.body ?? '').html.replace(/<code>[^<]*<\/code>/g, '');
    expect(mentions()).not.toMatch(/(^|[\s>(])@[a-z]/i);
    // Completed: the status says so, names who confirmed, still without a mention.
    await w.comment(w.issue(n).subIssues[0]?.number as number, '/queue-moved', ASSIGNER);
    await w.addLabel(n, 'task-4060-done');
    await w.deliver();
    expect(statusHeading(w, n)).toBe('📌 Status: completed ✅');
    expect(asRead(statusOf(w, n)?.body ?? '').text).toContain(`confirmed by @${ASSIGNER}`);
    expect(mentions()).not.toMatch(/(^|[\s>(])@[a-z]/i);
  });

  it('the pinned status costs one call once; moves stay at one read and one write (dist/index.js)', async (test) => {
    const w = await world(test);
    w.defineLabels();
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    w.gh.resetLog();
    await w.deliver('dist');
    const first = w.gh.requests.filter((r) => r.actor === BOT && r.write);
    expect(first.map((r) => r.graphql?.name ?? `${r.method} ${r.path.replace(/\d+/g, 'N')}`)).toEqual(['ApplyPlan', 'PUT /repos/contoso-ft/engagements/issues/comments/N/pin']);
    await w.addLabel(n, 'migration-complete');
    const event = w.newEvents().at(-1);
    if (event?.name !== 'issues' || event.action !== 'labeled') throw new Error('no labeled event');
    w.gh.resetLog();
    expect((await w.runDist(event)).code).toBe(0);
    expect(w.gh.requests.filter((r) => r.actor === BOT).map((r) => (r.write ? 'write' : 'read'))).toEqual(['read', 'write']);
  });

  it('receipts: 👍 on an accepted /queue-moved, 👎 on a refused one, besides the reply (dist/index.js)', async (test) => {
    const w = await world(test);
    w.defineLabels();
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    await w.deliver();
    for (const label of STEPS.slice(0, 4)) {
      await w.addLabel(n, label);
      await w.deliver();
    }
    const request = w.issue(n).subIssues[0]?.number as number;
    await w.comment(request, '/queue-moved', OUTSIDER);
    await w.deliver('dist');
    await w.comment(request, '/queue-moved', FM);
    await w.deliver('dist');
    await w.comment(request, '/queue-moved', ASSIGNER);
    await w.deliver('dist');
    const commands = w.issue(request).comments.filter((c) => c.author !== BOT);
    expect(commands.map((c) => [c.author, c.reactions])).toEqual([
      [OUTSIDER, [{ content: '-1', user: BOT }]],
      [FM, [{ content: '-1', user: BOT }]],
      [ASSIGNER, [{ content: '+1', user: BOT }]],
    ]);
    // Each command also has its reply.
    expect(w.issue(request).comments.filter((c) => c.author === BOT && markersIn(c.body)[0]?.startsWith('reply/'))).toHaveLength(3);
  });
});
