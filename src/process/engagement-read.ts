// What one run sees of an engagement: the issue as it is now (read fresh, never the payload's
// copy), the comments that matter, the transfer request and the event that woke the run up.
// The decision core takes only this, so any run that sees the same thing decides the same thing.
import type { RepoRef } from './settings.js';

export interface CommentView {
  id: number;
  /** GraphQL node id, for writes that name the comment. */
  nodeId: string;
  /** Minimized (hidden as outdated, off-topic, …); absent when not read. */
  minimized?: boolean;
  /** The reactions this action's identity left on it (`THUMBS_UP`, …); absent when not read. */
  reactedByBot?: string[];
  author: string;
  /** Written by this action's own identity: its markers can be trusted. */
  byBot: boolean;
  body: string;
  createdAt: string;
  url: string;
}

export interface IssueView {
  repo: RepoRef;
  number: number;
  title: string;
  url: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  body: string;
  labels: string[];
  assignees: string[];
  author: string;
}

export interface TransferRequestView {
  repo: RepoRef;
  number: number;
  url: string;
  state: 'open' | 'closed';
  /** Comments on the request, newest last; null when not read. */
  comments: CommentView[] | null;
}

/** The verdict on who wrote a `/queue-moved` command (checked by the shell, which can call GitHub). */
export type Authorisation =
  | { ok: true; via: 'members-list' | 'team' | 'collaborator' }
  | {
      ok: false;
      reason: 'not-member' | 'not-collaborator' | 'check-impossible';
      /** The team checked (`org/slug`), when a team was. */
      team?: string;
      /** A team invitation not yet accepted. */
      pending?: boolean;
      /** The commenter's access to `repo`, when write access was checked. */
      permission?: string;
      repo?: string;
      /** For logs only. */
      detail?: string;
    };

export interface ConfirmationAttempt {
  commentId: number;
  /** The command comment's node id, for the receipt's reaction. */
  nodeId?: string;
  /** Where the command was posted: on the engagement or on its transfer request. */
  on: 'engagement' | 'transfer-request';
  /** The transfer request it was posted on (a duplicate one too), when on one. */
  request?: { repo: RepoRef; number: number };
  author: string;
  createdAt: string;
  url: string;
  queue: string | null;
  authorisation: Authorisation;
}

export type Trigger =
  | {
      kind: 'issues';
      action: string;
      sender: string;
      /** The label added or removed, for labeled/unlabeled. */
      label?: string;
      /** For edited: the body before and right after the edit, from the payload. */
      edit?: { before: string; after: string };
    }
  | { kind: 'issue_comment'; action: string; sender: string; commentId: number }
  | { kind: 'scan' };

export interface EngagementRead {
  issue: IssueView;
  /** Comments on the engagement, at least all since its current step began; null when not read. */
  comments: CommentView[] | null;
  /** The engagement's transfer request (the oldest, when overlapping runs opened more); null when there is none; undefined when not looked for. */
  transferRequest: TransferRequestView | null | undefined;
  /** Other requests opened for the engagement by overlapping runs, oldest first; closed as duplicates of `transferRequest`. */
  duplicateRequests?: TransferRequestView[];
  /** The engagement on the board, when one is configured and was read: its item's values, or why it could not be read. */
  board?: { onBoard: boolean; values: Record<string, string> } | { refused: string };
  /** `/queue-moved` commands the bot has not answered yet, oldest first. */
  confirmations: ConfirmationAttempt[];
  trigger: Trigger;
}
