// Decides about one observed engagement and applies the effects, the same way in every mode:
// when the decision must first open the transfer request, that one effect is applied and the
// engagement is decided again with the request's number known.
import { applyEffect } from './apply-effects.js';
import { decide, type Decision } from './decide.js';
import type { Effect } from './effects.js';
import type { Observed } from './observe.js';
import type { RunContext } from './modes/event.js';

export interface Settled {
  decision: Decision;
  /** Every effect of the run, in order (the transfer request's opening first). */
  effects: Effect[];
  /** Whether they were written (false in a dry run or past the write cap). */
  applied: boolean;
}

export async function settle(ctx: RunContext, observed: Observed, now: Date, write: boolean): Promise<Settled> {
  const options = { dryRun: !write, snapshot: observed.snapshot };
  const context = { config: ctx.config, messages: ctx.messages, now };
  let observation = observed.observation;
  let decision = decide(observation, context);
  const effects: Effect[] = [];
  if (decision.opensTransferRequest) {
    const open = decision.effects[0] as Effect;
    observation = { ...observation, transferRequest: await applyEffect(ctx.gh, open, options) };
    effects.push(open);
    decision = decide(observation, context);
  }
  for (const effect of decision.effects) {
    await applyEffect(ctx.gh, effect, options);
    effects.push(effect);
  }
  return { decision, effects, applied: write };
}
