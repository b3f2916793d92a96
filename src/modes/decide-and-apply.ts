// Decides about one engagement as read and sends the plan, the same way in every mode: when the
// decision must first open the transfer request, that is sent alone and the engagement is decided
// again with the request's number known; then the plan goes as one write request.
import { decide, type Decision } from '../core/decide.js';
import type { Effect } from '../core/plan.js';
import { issueKey } from '../github/mutation.js';
import { boardSeen, type ReadForDecision } from '../github/read-for-decision.js';
import { openTransferRequest, sendPlan } from '../github/send-plan.js';
import type { RunContext } from './run-context.js';

export interface Applied {
  decision: Decision;
  /** Every effect of the run, in order (the transfer request's opening first). */
  effects: Effect[];
  /** Whether they were written (false in a dry run or past the write cap). */
  applied: boolean;
  /** Write requests sent: the transfer request's opening, and the plan's one document (plus any REST fallback). */
  requests: number;
  /** Time spent in the pure decision core. */
  decisionMs: number;
}

/**
 * `mayWrite(n)` answers whether n more write requests are allowed (dry run, write cap); asked once,
 * with the first decision's count (one more for a transfer request, opened before the plan).
 */
export async function decideAndApply(ctx: RunContext, reading: ReadForDecision, now: Date, mayWrite: (requests: number) => boolean): Promise<Applied> {
  const context = { config: ctx.config, now };
  let decisionMs = 0;
  const timed = (o: ReadForDecision['read']) => {
    const started = performance.now();
    const result = decide(o, context);
    decisionMs += performance.now() - started;
    return result;
  };
  // A board with its own token is read apart (the engagement's read cannot carry another token).
  if (ctx.boardGh && ctx.config.project && reading.snapshot.board === null) {
    const board = await ctx.boardGh.readBoard(ctx.config.project, reading.snapshot.issue.nodeId);
    reading.snapshot.board = board;
    reading.snapshot.nodeIds.board = board;
    reading.read = { ...reading.read, ...boardSeen(reading.snapshot) };
  }
  let read = reading.read;
  let decision = timed(read);
  const write = mayWrite((decision.effects.length > 0 ? 1 : 0) + (decision.opensTransferRequest ? 1 : 0));
  const ids = reading.snapshot.nodeIds;
  const effects: Effect[] = [];
  const labelling: Effect[] = [];
  let requests = 0;
  if (decision.opensTransferRequest) {
    const open = decision.effects[0] as Extract<Effect, { kind: 'open-transfer-request' }>;
    const opened = write ? await openTransferRequest(ctx.gh, ctx.messages, open, reading.snapshot) : null;
    if (opened) {
      requests++;
      ids.issues[issueKey(opened)] = opened.nodeId;
      if (opened.unlabelled) {
        // Its label was created with it: putting it on rides in the plan.
        if (opened.unlabelled.labelId) ids.labels[opened.unlabelled.name.toLowerCase()] = opened.unlabelled.labelId;
        labelling.push({ kind: 'add-labels', target: { repo: opened.repo, number: opened.number }, labels: [opened.unlabelled.name] });
      }
    }
    const { unlabelled: _unlabelled, nodeId: _nodeId, ...view } = opened ?? { repo: open.repo, number: 0, url: '(dry run)', state: 'open' as const, comments: [], unlabelled: null, nodeId: '' };
    read = { ...read, transferRequest: view };
    effects.push(open);
    decision = timed(read);
  }
  const plan = [...labelling, ...decision.effects];
  // With its own token the board's writes go apart; with one token, in the same document.
  const apart: Effect[] = ctx.boardGh ? plan.filter((e) => e.kind === 'board') : [];
  const together = plan.filter((e) => !apart.includes(e));
  if (write && together.length > 0) {
    const outcomes = await sendPlan(ctx.gh, ctx.messages, together, ids);
    requests++;
    decision.warnings.push(...outcomes.flatMap((o) => (o.warning ? [o.warning] : [])));
  }
  if (write && ctx.boardGh && apart.length > 0) {
    await sendPlan(ctx.boardGh, ctx.messages, apart, ids);
    requests++;
  }
  effects.push(...plan);
  return { decision, effects, applied: write, requests, decisionMs };
}
