// Decides about one reading engagement and applies the effects, the same way in every mode:
// when the decision must first open the transfer request, that one effect is applied and the
// engagement is decided again with the request's number known.
import { applyEffect } from '../github/apply-effects.js';
import { decide, type Decision } from '../core/decide.js';
import type { Effect } from '../core/effects.js';
import type { ReadForDecision } from '../github/read-for-decision.js';
import type { RunContext } from './run-context.js';

export interface Applied {
  decision: Decision;
  /** Every effect of the run, in order (the transfer request's opening first). */
  effects: Effect[];
  /** Whether they were written (false in a dry run or past the write cap). */
  applied: boolean;
  /** Time spent in the pure decision core. */
  decisionMs: number;
}

/**
 * `mayWrite(n)` answers whether n more writes are allowed (dry run, write cap); asked once, with
 * the first decision's count (two more for a transfer request, whose opening is decided again).
 */
export async function decideAndApply(ctx: RunContext, reading: ReadForDecision, now: Date, mayWrite: (writes: number) => boolean): Promise<Applied> {
  const context = { config: ctx.config, messages: ctx.messages, now };
  let decisionMs = 0;
  const timed = (o: ReadForDecision['read']) => {
    const started = performance.now();
    const result = decide(o, context);
    decisionMs += performance.now() - started;
    return result;
  };
  let read = reading.read;
  let decision = timed(read);
  const write = mayWrite(decision.effects.length + (decision.opensTransferRequest ? 2 : 0));
  const options = { dryRun: !write, snapshot: reading.snapshot };
  const effects: Effect[] = [];
  if (decision.opensTransferRequest) {
    const open = decision.effects[0] as Effect;
    read = { ...read, transferRequest: await applyEffect(ctx.gh, open, options) };
    effects.push(open);
    decision = timed(read);
  }
  for (const effect of decision.effects) {
    await applyEffect(ctx.gh, effect, options);
    effects.push(effect);
  }
  return { decision, effects, applied: write, decisionMs };
}
