// The durable record of an engagement. GitHub cannot update an issue body conditionally, so a
// body write from an older read can overwrite a newer one: the front-matter is a rendered view,
// not the only record. Every move is also written, append-only, into the marker of the bot's
// comment about it; each run merges the body's history with those records and replays them,
// so a lost body write costs one rewrite, never a step or a history entry.
import type { BotState, HistoryEntry } from '../process/engagement.js';
import type { LabelSet } from '../process/labels.js';
import { markersIn } from '../process/markers.js';
import type { CommentView } from '../process/engagement-read.js';
import { finalStep, type Playbook } from '../process/playbook.js';

const MOVES = 'moves/';

/** The marker key that records history entries: base64 JSON, within the marker's characters. */
export function movesKey(entries: HistoryEntry[]): string {
  const rows = entries.map((h) => [h.at, h.by, h.from, h.to, h.via]);
  return MOVES + Buffer.from(JSON.stringify(rows), 'utf8').toString('base64').replace(/=+$/, '');
}

function readMoves(key: string): HistoryEntry[] {
  try {
    const rows = JSON.parse(Buffer.from(key.slice(MOVES.length), 'base64').toString('utf8')) as unknown;
    if (!Array.isArray(rows)) return [];
    return rows.flatMap((r: unknown) => {
      if (!Array.isArray(r) || r.length !== 5 || typeof r[0] !== 'string' || typeof r[3] !== 'string') return [];
      const [at, by, from, to, via] = r as [string, unknown, unknown, string, unknown];
      return [{ at, by: String(by ?? ''), from: typeof from === 'string' ? from : null, to, via: String(via ?? '') }];
    });
  } catch {
    return [];
  }
}

/** Every history entry the bot's own comments record. */
export function recordedMoves(comments: Array<CommentView[] | null | undefined>): HistoryEntry[] {
  return comments.flatMap((list) => (list ?? []).filter((c) => c.byBot).flatMap((c) => markersIn(c.body).filter((k) => k.startsWith(MOVES)).flatMap(readMoves)));
}

/** A history entry that (re)starts a step: a move, or another alternative recorded within it. */
export function isEntry(h: HistoryEntry, playbook: Playbook, labels: LabelSet): boolean {
  if (h.from !== h.to) return true;
  if (!h.via.startsWith('label:')) return false;
  const key = labels.keyOf(h.via.slice('label:'.length));
  return key !== null && key !== playbook.task.label && playbook.steps.some((s) => s.gate?.records && s.gate.labels.includes(key));
}

/**
 * The body's history and the recorded one, replayed in time order: a move counts only from the
 * step the engagement is in (a second run's copy of the same move does not), the same note
 * within a step not twice in a row, so each move is in the history once whatever raced.
 */
export function mergedHistory(body: HistoryEntry[], recorded: HistoryEntry[], steps: string[]): HistoryEntry[] {
  const seen = new Set<string>();
  const all = [...body, ...recorded]
    .filter((h) => steps.includes(h.to) && (h.from === null || steps.includes(h.from)))
    .filter((h) => {
      const id = JSON.stringify([h.at, h.from, h.to, h.via]);
      return seen.has(id) ? false : (seen.add(id), true);
    })
    .sort((a, b) => a.at.localeCompare(b.at));
  const merged: HistoryEntry[] = [];
  for (const h of all) {
    const last = merged.at(-1);
    if (last !== undefined && h.from !== last.to) continue;
    // The same note twice in a row (two runs recorded one change) is one note.
    if (last !== undefined && h.from === h.to && last.from === last.to && last.via === h.via) continue;
    merged.push(h);
  }
  return merged;
}

/** Which entry of its step the engagement is in: the step, when it began, and how many times it was entered. */
export interface StepEntry {
  step: string;
  since: string;
  /** 1 for the first time the engagement is in this step, 2 after an undo and a second entry, … */
  count: number;
}

export function currentEntry(history: HistoryEntry[], playbook: Playbook, labels: LabelSet): StepEntry | null {
  const last = history.at(-1);
  if (!last) return null;
  const entries = history.filter((h) => h.to === last.to && (h.from === null || isEntry(h, playbook, labels)));
  return { step: last.to, since: entries.at(-1)?.at ?? last.at, count: Math.max(1, entries.length) };
}

/** The entry's identity, as messages about it are keyed: `discussion/2`. */
export function entryId(entry: StepEntry): string {
  return `${entry.step}/${entry.count}`;
}

/** The state with the recorded history merged in; step and step start follow the history. */
export function withRecord(state: BotState, recorded: HistoryEntry[], playbook: Playbook, labels: LabelSet): BotState {
  const history = mergedHistory(state.history, recorded, playbook.steps.map((s) => s.key));
  const entry = currentEntry(history, playbook, labels);
  if (!entry) return state;
  const moved = entry.step !== state.step || entry.since !== state.step_since;
  // Completed in the record but not in the body (the body's write was refused or lost to a race).
  const completedAt = state.completed_at ?? (entry.step === finalStep(playbook) ? entry.since : null);
  return { ...state, history, step: entry.step, step_since: entry.since, stalled_since: moved ? null : state.stalled_since, completed_at: completedAt };
}
