// How the decision core words a comment: rendered from its template with the engagement's
// values, cut to GitHub's size, and marked with the key that makes it idempotent.
import type { BotState } from '../process/engagement.js';
import type { Effect } from './effects.js';
import type { IssueTarget } from '../process/settings.js';
import type { Facts } from './facts.js';
import { marker, markersIn, withMarker } from '../process/markers.js';
import type { CommentView } from '../process/engagement-read.js';
import { engagementValues } from '../messages/message-values.js';

/** Room left under GitHub's 65,536-character limit for the markers a comment carries. */
const MAX_MESSAGE = 60_000;

/** A message no longer than GitHub accepts: however large the fields, posting never fails on size. */
export function fit(text: string): string {
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE).trimEnd()}\n\n…`;
}

export function hasMarker(comments: CommentView[] | null, key: string): boolean {
  return comments !== null && comments.some((c) => c.byBot && markersIn(c.body).includes(key));
}

/** Post unless already posted; when comments were not read, only messages new to this run. */
export function shouldPost(comments: CommentView[] | null, key: string, newThisRun: boolean): boolean {
  return comments === null ? newThisRun : !hasMarker(comments, key);
}

/** A comment effect; `extraKeys` are further markers, each on a line of its own at the end. */
export function comment(f: Facts, template: string, key: string, values: object, target: IssueTarget = f.target, extraKeys: string[] = []): Effect {
  let body = withMarker(fit(f.messages.render(template, f.view.locale, values)), key);
  for (const extra of extraKeys) body = `${body}${marker(extra)}\n`;
  return { kind: 'comment', target, key, template, body };
}

/** Values shared by every message about the engagement. */
export function common(f: Facts, state: BotState) {
  return engagementValues(f.fields, state, f.obs.issue, f.obs.transferRequest, f.view);
}
