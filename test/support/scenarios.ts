// Small helpers shared by the robustness tests (events, hostile input, security): a world per test,
// walks through the playbook, the bot's state read back from a body, the bot's own events, and a
// runner for dist/index.js that can add environment variables and a preload module.
import { builtInCatalog } from '../../src/files/playbook-catalog.js';
import type { TestContext } from 'vitest';
import { asWritten, parseEngagement, type WrittenState } from '../../src/process/frontmatter.js';
import { markersIn } from '../../src/process/markers.js';
import type { StandInEvent } from './github-standin/index.js';
import { BOT, TestWorld, runDist, type DistRun } from './harness.js';

/** GitHub's limit on issue and comment bodies. */
export const LIMIT = 65_536;

/** A world of its own for one test, closed when that test ends (tests run concurrently). */
export async function world(test: TestContext, options?: Parameters<typeof TestWorld.start>[0]): Promise<TestWorld> {
  const w = await TestWorld.start(options);
  test.onTestFinished(() => w.close());
  return w;
}

/** Opens an engagement with `body`, lets the bot answer, then adds each label in turn, one run each. */
export async function walk(w: TestWorld, body: string, labels: string[] = [], inputs: Record<string, string> = {}): Promise<number> {
  const n = await w.openEngagement(body);
  await w.deliver('in-process', inputs);
  for (const label of labels) {
    await w.addLabel(n, label);
    await w.deliver('in-process', inputs);
  }
  return n;
}

/** The number of the engagement's transfer request (its sub-issue), or -1. */
export function transferOf(w: TestWorld, n: number): number {
  return w.issue(n).subIssues[0]?.number ?? -1;
}

/** The bot's state as recorded in a body; null when it has recorded none; throws when the body is invalid. */
export function stateIn(body: string): WrittenState | null {
  const parsed = parseEngagement(body, builtInCatalog());
  if (!parsed.ok) throw new Error(`invalid body: ${JSON.stringify(parsed.problems)}`);
  return parsed.bot && asWritten(parsed.bot);
}

export function stateOf(w: TestWorld, n: number): WrittenState {
  const state = stateIn(w.issue(n).body);
  if (!state) throw new Error(`#${n} has no bot state`);
  return state;
}

/** The bot's messages on an issue, oldest first; the live status (one comment, edited in place) is left out: `statusOf` reads it. */
export function botComments(w: TestWorld, n: number): string[] {
  return w.issue(n).comments.filter((c) => c.author === BOT && markersIn(c.body)[0] !== 'status').map((c) => c.body);
}

/** The engagement's live status comment, as posted and edited: its body, and whether it is pinned. */
export function statusOf(w: TestWorld, n: number): { body: string; pinned: boolean } | null {
  const c = w.issue(n).comments.find((x) => x.author === BOT && markersIn(x.body)[0] === 'status');
  return c ? { body: c.body, pinned: c.pinned } : null;
}

/** The kinds of the bot's comments (the first segment of their marker), in order. */
export function botPostKinds(w: TestWorld, n: number): string[] {
  return botComments(w, n).map((b) => markersIn(b)[0]?.replace(/\/.*$/, '') ?? '?');
}

/** The same event as if the bot itself had caused it (a GitHub App token's writes do trigger workflows). */
export function asBot(event: StandInEvent): StandInEvent {
  const payload = structuredClone(event.payload) as Record<string, unknown>;
  payload.sender = { login: BOT, id: 41898282, node_id: 'MDM6Qm90NDE4OTgyODI=', type: 'Bot', site_admin: false };
  return { ...event, actor: BOT, payload };
}

/** The payload's copy of the issue (a snapshot taken when the event happened). */
export function issueIn(event: StandInEvent): { body: string; labels: unknown[]; state: string } & Record<string, unknown> {
  return event.payload.issue as { body: string; labels: unknown[]; state: string } & Record<string, unknown>;
}

/** The newest pending event (the others are dropped, as a concurrency group coalesces them). */
export function onlyTheLast(w: TestWorld): { last: StandInEvent; dropped: StandInEvent[] } {
  const events = w.newEvents();
  const last = events.at(-1);
  if (!last) throw new Error('no pending event');
  return { last, dropped: events.slice(0, -1) };
}

/** Text of a Markdown body outside fenced code blocks and inline code spans (where markup is live). */
export function outsideCode(markdown: string): string {
  return markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1[ \t]*$/gm, '').replace(/(`+)[^`]*?\1/g, '');
}

/** Issue numbers and links made neutral, so two worlds with other issues in them compare. */
export function neutralNumbers(value: unknown): unknown {
  // The status's hidden digest covers the numbers it shows, so it goes with them.
  return JSON.parse(JSON.stringify(value).replace(/#\d+/g, '#N').replace(/issues(\/|%2F)\d+/g, 'issues$1N').replace(/"number":\d+/g, '"number":0').replace(/status-view\/[0-9a-f]+/g, 'status-view/H'));
}

/**
 * Runs dist/index.js as the runner would (like `runDist` in harness.ts), with extra environment
 * variables (RUNNER_DEBUG…) and optionally a module preloaded with `node --import`.
 */
export function runDistWith(
  w: TestWorld,
  event: StandInEvent,
  options: { inputs?: Record<string, string>; env?: Record<string, string>; preload?: string } = {},
): Promise<DistRun> {
  return runDist(w.gh.url, w.repo, event.name, event.payload, w.inputs(options.inputs), options);
}
