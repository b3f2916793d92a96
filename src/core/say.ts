// How the decision core says a comment: the template, its language and the engagement's values,
// keyed so that it is posted once; the edge renders it (messages/render.ts).
import type { BotState } from '../process/engagement.js';
import type { Effect } from './plan.js';
import type { IssueTarget } from '../process/settings.js';
import type { Facts } from './facts.js';
import { markersIn } from '../process/markers.js';
import type { MessageIntent } from '../messages/intent.js';
import type { CommentView } from '../process/engagement-read.js';
import { engagementValues } from '../messages/message-values.js';

export function hasMarker(comments: CommentView[] | null, key: string): boolean {
  return comments !== null && comments.some((c) => c.byBot && markersIn(c.body).includes(key));
}

/** Post unless already posted; when comments were not read, only messages new to this run. */
export function shouldPost(comments: CommentView[] | null, key: string, newThisRun: boolean): boolean {
  return comments === null ? newThisRun : !hasMarker(comments, key);
}

/** A comment to post, as an intent; `extraKeys` are further markers it carries (the edge renders it). */
export function comment(f: Facts, template: string, key: string, values: object, target: IssueTarget = f.target, extraKeys: string[] = [], drafts?: MessageIntent['drafts']): Effect {
  return { kind: 'comment', target, key, template, locale: f.view.locale, values, ...(drafts ? { drafts } : {}), extraKeys };
}

/** Values shared by every message about the engagement. */
export function common(f: Facts, state: BotState) {
  return engagementValues(f.fields, state, f.obs.issue, f.obs.transferRequest, f.view);
}
