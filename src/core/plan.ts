// The plan a decision returns: what to write, as plain data (messages as intents: template,
// language, values, key), in the order it is to be written. Printable in a dry run, comparable in
// tests; the edge renders it and sends it as one write request (github/send-plan.ts).
import type { MessageIntent } from '../messages/intent.js';
import type { LabelDefinition } from '../process/labels.js';
import { repoName, type IssueTarget, type RepoRef } from '../process/settings.js';

export type { IssueTarget } from '../process/settings.js';

/** A comment to post: its message as an intent, the key it is posted once under, further keys it records. */
export type CommentIntent = { kind: 'comment'; target: IssueTarget; key: string; extraKeys: string[]; /** Pin it once posted (the live status). */ pin?: boolean } & MessageIntent;

/** A comment of the bot's rewritten in place (the live status). */
export type CommentEdit = { kind: 'edit-comment'; target: IssueTarget; commentId: number; nodeId: string; key: string; extraKeys: string[] } & MessageIntent;

/** The receipt on a command: 👍 accepted, 👎 refused. */
export type Reaction = 'THUMBS_UP' | 'THUMBS_DOWN';

export type Effect =
  | {
      kind: 'open-transfer-request';
      repo: RepoRef;
      /** The title is the first line of this message. */
      title: MessageIntent;
      body: MessageIntent;
      /** The marker that ties the request to its engagement. */
      key: string;
      labels: string[];
      assignees: string[];
      /** Link it as a sub-issue of the engagement in the same call (same owner only). */
      parent: IssueTarget | null;
    }
  | { kind: 'update-body'; target: IssueTarget; body: string; why: string }
  | CommentIntent
  | CommentEdit
  /** An earlier step's message, hidden as outdated once the engagement has moved on. */
  | { kind: 'minimize-comment'; target: IssueTarget; commentId: number; nodeId: string; key: string }
  | { kind: 'add-reaction'; target: IssueTarget; commentId: number; nodeId: string; content: Reaction }
  /** The engagement's item on the Projects (v2) board and what its fields should say, by the board's field names (null: empty). */
  | { kind: 'board'; target: IssueTarget; values: Record<string, string | null> }
  /** A second copy of a message two racing runs both posted: the later one goes. */
  | { kind: 'delete-comment'; target: IssueTarget; commentId: number; nodeId: string; key: string }
  | { kind: 'add-labels'; target: IssueTarget; labels: string[] }
  | { kind: 'remove-label'; target: IssueTarget; label: string }
  | { kind: 'add-assignees'; target: IssueTarget; logins: string[] }
  | { kind: 'remove-assignees'; target: IssueTarget; logins: string[] }
  | { kind: 'close-issue'; target: IssueTarget; reason: 'completed' | 'not_planned' | 'duplicate'; duplicateOf?: IssueTarget }
  | { kind: 'reopen-issue'; target: IssueTarget }
  | { kind: 'create-issue'; repo: RepoRef; title: string; body: string; labels: string[] }
  | { kind: 'create-label'; repo: RepoRef; label: LabelDefinition }
  | { kind: 'update-label'; repo: RepoRef; name: string; label: LabelDefinition };

export function targetName(target: IssueTarget): string {
  return `${repoName(target.repo)}#${target.number}`;
}

/** A one-line, body-free description of an effect, for logs and the `effects` output. */
export function describeEffect(effect: Effect): Record<string, unknown> {
  switch (effect.kind) {
    case 'open-transfer-request':
      return { kind: effect.kind, repo: repoName(effect.repo), title: effect.title.template, assignees: effect.assignees, parent: effect.parent && targetName(effect.parent) };
    case 'update-body':
      return { kind: effect.kind, target: targetName(effect.target), why: effect.why };
    case 'comment':
    case 'edit-comment':
      return { kind: effect.kind, target: targetName(effect.target), template: effect.template, key: effect.key };
    case 'minimize-comment':
      return { kind: effect.kind, target: targetName(effect.target), commentId: effect.commentId, key: effect.key };
    case 'add-reaction':
      return { kind: effect.kind, target: targetName(effect.target), commentId: effect.commentId, content: effect.content };
    case 'board':
      return { kind: effect.kind, target: targetName(effect.target), values: effect.values };
    case 'delete-comment':
      return { kind: effect.kind, target: targetName(effect.target), commentId: effect.commentId, key: effect.key };
    case 'add-labels':
      return { kind: effect.kind, target: targetName(effect.target), labels: effect.labels };
    case 'remove-label':
      return { kind: effect.kind, target: targetName(effect.target), label: effect.label };
    case 'add-assignees':
    case 'remove-assignees':
      return { kind: effect.kind, target: targetName(effect.target), logins: effect.logins };
    case 'close-issue':
      return { kind: effect.kind, target: targetName(effect.target), reason: effect.reason };
    case 'reopen-issue':
      return { kind: effect.kind, target: targetName(effect.target) };
    case 'create-issue':
      return { kind: effect.kind, repo: repoName(effect.repo), title: effect.title, labels: effect.labels };
    case 'create-label':
    case 'update-label':
      return { kind: effect.kind, repo: repoName(effect.repo), ...effect.label };
  }
}

/** An effect as GitHub receives it: messages rendered to text. */
export type Write =
  | Exclude<Effect, { kind: 'comment' } | { kind: 'edit-comment' } | { kind: 'open-transfer-request' }>
  | (Omit<Extract<Effect, { kind: 'comment' }>, 'values' | 'drafts'> & { body: string })
  | (Omit<Extract<Effect, { kind: 'edit-comment' }>, 'values' | 'drafts'> & { body: string })
  | (Omit<Extract<Effect, { kind: 'open-transfer-request' }>, 'title' | 'body'> & { title: string; body: string });
