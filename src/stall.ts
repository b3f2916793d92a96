// When an engagement counts as stalled: too long in one step, or too long waiting for the
// assignment team to confirm the queue move. Time is elapsed time; the figure shown is whole days.
import type { Config } from './config.js';
import type { BotState } from './engagement.js';

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

export function stallReason(state: BotState, now: Date, config: Pick<Config, 'stallDays' | 'transferStallDays'>): StallReason | null {
  if (state.step === 'completed') return null;
  const t = state.transfer;
  if (state.step === 'offboarding' && t?.requested_at && !t.confirmed_by && now.getTime() - Date.parse(t.requested_at) > config.transferStallDays * DAY) {
    return { kind: 'waiting-for-queue-move', days: daysBetween(t.requested_at, now), limit: config.transferStallDays };
  }
  if (now.getTime() - Date.parse(state.step_since) > config.stallDays * DAY) {
    return { kind: 'no-progress', days: daysBetween(state.step_since, now), limit: config.stallDays };
  }
  return null;
}
