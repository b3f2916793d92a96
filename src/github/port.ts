// The narrow interface between engagement-bot and GitHub: only the calls the bot makes.
// The Octokit adapter implements it over HTTP; tests run that same adapter against a stand-in.
import type { LabelDefinition } from '../process/labels.js';
import type { RepoRef } from '../process/settings.js';

export type { LabelDefinition } from '../process/labels.js';
import type { IssueTarget } from '../process/settings.js';
import type { CommentView, IssueView, TransferRequestView } from '../process/engagement-read.js';

export interface EngagementSnapshot {
  /** The login this action acts as (GraphQL `viewer`). */
  viewer: string;
  issue: IssueView & { nodeId: string };
  /** The newest comments, oldest first; `complete` when nothing older exists. */
  comments: CommentView[];
  commentsComplete: boolean;
  /** Transfer requests found as sub-issues (newest comments included). */
  subIssueTransferRequests: Array<TransferRequestView & { body: string; author: string; labels: string[] }>;
  /** Node ids needed to open a transfer request in one call. */
  ids: { assignmentRepo: string | null; transferLabel: string | null; assignees: Record<string, string | null> };
}

export interface TransferRequestSnapshot extends TransferRequestView {
  body: string;
  author: string;
  labels: string[];
  parent: IssueTarget | null;
}

export type TeamMembership = 'active' | 'pending' | 'none' | 'team-not-visible';
export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface OpenTransferRequest {
  repo: RepoRef;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  parent: (IssueTarget & { nodeId: string }) | null;
}

export interface IssueListItem {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
  author: string;
  url: string;
  updatedAt: string;
}

export interface CommentListItem {
  id: number;
  issueNumber: number;
  author: string;
  authorIsBot: boolean;
  body: string;
  createdAt: string;
  url: string;
}


export interface GitHub {
  /** The login this action acts as. */
  viewer(): Promise<string>;
  /** Open issues carrying `label`, a page (of up to 100) at a time, oldest first. */
  openIssuesWithLabel(repo: RepoRef, label: string): AsyncIterable<IssueListItem[]>;
  /** Comments anywhere in the repository created or updated since `since`, a page at a time. */
  commentsSince(repo: RepoRef, since: string): AsyncIterable<CommentListItem[]>;
  /** The first issue (open or closed) carrying `label`, if any. */
  findIssueWithLabel(repo: RepoRef, label: string): Promise<IssueListItem | null>;
  createIssue(repo: RepoRef, issue: { title: string; body: string; labels: string[] }): Promise<{ number: number }>;
  listLabels(repo: RepoRef): Promise<LabelDefinition[]>;
  createLabel(repo: RepoRef, label: LabelDefinition): Promise<void>;
  updateLabel(repo: RepoRef, currentName: string, label: LabelDefinition): Promise<void>;

  /** The engagement, its recent comments and its transfer request, in one read. */
  readEngagement(repo: RepoRef, number: number, options: { assignmentRepo: RepoRef; transferLabel: string; assignees: string[] }): Promise<EngagementSnapshot | null>;
  /** Every comment of an issue, oldest first (only when the newest hundred are not enough). */
  readAllComments(target: IssueTarget, viewer: string): Promise<CommentView[]>;
  /** A transfer request (or any issue) with its recent comments, and who the action is; null when it does not exist. */
  readTransferRequest(target: IssueTarget): Promise<{ viewer: string; request: TransferRequestSnapshot } | null>;
  /** Recent issues in a repository carrying `label` (newest first), for finding a transfer request. */
  recentIssuesWithLabel(repo: RepoRef, label: string, limit: number, viewer: string): Promise<TransferRequestSnapshot[]>;

  updateIssue(target: IssueTarget, patch: { body?: string; state?: 'open' | 'closed'; stateReason?: 'completed' | 'not_planned' | 'reopened' }): Promise<void>;
  createComment(target: IssueTarget, body: string): Promise<{ id: number; url: string }>;
  /** Deletes a comment; one already gone is not an error. */
  deleteComment(repo: RepoRef, commentId: number): Promise<void>;
  addLabels(target: IssueTarget, labels: string[]): Promise<void>;
  /** Removes a label; a label already gone is not an error. */
  removeLabel(target: IssueTarget, label: string): Promise<void>;
  addAssignees(target: IssueTarget, logins: string[]): Promise<string[]>;
  removeAssignees(target: IssueTarget, logins: string[]): Promise<void>;
  /** Opens a transfer request, labelled, assigned and linked to its parent in one call when possible. */
  openTransferRequest(request: OpenTransferRequest, ids: EngagementSnapshot['ids']): Promise<TransferRequestView>;

  teamMembership(org: string, slug: string, login: string): Promise<TeamMembership>;
  collaboratorPermission(repo: RepoRef, login: string): Promise<Permission>;
}
