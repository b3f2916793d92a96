// Two runs that read before either wrote can post the same keyed message at the same instant;
// the next run that reads both copies deletes the later one, so the thread ends with one.
import type { Effect } from './plan.js';
import type { IssueTarget } from '../process/settings.js';
import type { CommentView } from '../process/engagement-read.js';
import { markersIn } from '../process/markers.js';

/** Later copies of the bot's messages: comments whose key an earlier comment of the bot's has. */
export function duplicateCopies(comments: CommentView[] | null | undefined, target: IssueTarget): Effect[] {
  const seen = new Set<string>();
  const effects: Effect[] = [];
  for (const c of comments ?? []) {
    const key = c.byBot ? markersIn(c.body)[0] : undefined;
    if (key === undefined) continue;
    if (seen.has(key)) effects.push({ kind: 'delete-comment', target, commentId: c.id, nodeId: c.nodeId, key });
    seen.add(key);
  }
  return effects;
}
