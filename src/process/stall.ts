// When an engagement counts as stalled: too long in one step, or too long waiting for the
// assignment team to confirm the queue move. Time is elapsed time; the figure shown is whole days.
import type { Config } from './settings.js';
import type { BotState } from './engagement.js';
import { finalStep, type Playbook } from './playbook.js';

const DAY = 86_400_000;

export interface StallReason {
  kind: 'no-progress' | 'waiting-for-queue-move';
  /** Whole days since the step (or the transfer request) began. */
  days: number;
  limit: number;
}

export function daysBetween(since: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / DAY));
}

/**
 * Days in a step (null: not counted), and days waiting for the confirmation: the inputs' figures,
 * else the playbook's. A step the playbook does not count is counted when `stall-days` names it.
 */
export function stallLimits(playbook: Playbook, config: Pick<Config, 'stallDays' | 'transferStallDays'>, step?: string): { step: number | null; handoff: number } {
  const handoff = config.transferStallDays ?? playbook.stallDays.handoff;
  const perStep = config.stallDays !== null && typeof config.stallDays === 'object' ? config.stallDays : null;
  const named = step !== undefined ? perStep?.[step] : undefined;
  if (named !== undefined) return { step: named, handoff };
  const spec = step === undefined ? undefined : playbook.steps.find((s) => s.key === step);
  const counted = spec?.stall !== false;
  const figure = typeof config.stallDays === 'number' ? config.stallDays : (spec?.stallDays ?? playbook.stallDays.default);
  return { step: counted ? figure : null, handoff };
}

export function stallReason(state: BotState, now: Date, playbook: Playbook, config: Pick<Config, 'stallDays' | 'transferStallDays'>): StallReason | null {
  if (state.step === finalStep(playbook)) return null;
  const limits = stallLimits(playbook, config, state.step);
  const t = state.transfer;
  if (state.step === playbook.handoff.step && t?.requested_at && !t.confirmed_by && now.getTime() - Date.parse(t.requested_at) > limits.handoff * DAY) {
    return { kind: 'waiting-for-queue-move', days: daysBetween(t.requested_at, now), limit: limits.handoff };
  }
  if (limits.step !== null && now.getTime() - Date.parse(state.step_since) > limits.step * DAY) {
    return { kind: 'no-progress', days: daysBetween(state.step_since, now), limit: limits.step };
  }
  return null;
}
