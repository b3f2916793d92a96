// The narrow interface between engagement-bot and GitHub: only the calls the bot makes.
// The Octokit adapter implements it over HTTP; tests run that same adapter against a stand-in.
import type { LabelDefinition } from '../process/labels.js';
import type { ProjectRef, RepoRef } from '../process/settings.js';

export type { LabelDefinition } from '../process/labels.js';
import type { IssueTarget } from '../process/settings.js';
import type { Write } from '../core/plan.js';
import type { CommentView, IssueView, TransferRequestView } from '../process/engagement-read.js';

/** Node ids a plan's writes name, each by a lower-case key: `owner/repo#n`, a label's name, a login. */
export interface NodeIds {
  issues: Record<string, string>;
  labels: Record<string, string>;
  users: Record<string, string>;
  /** The board as read with the engagement, when one is configured. */
  board?: BoardRead | null;
}

/** What became of one write of a plan sent as one request. */
export interface WriteOutcome {
  write: Write;
  ok: boolean;
  /** The comment a write posted. */
  created?: { id: number; nodeId: string };
  /** Something that went wrong around it without undoing it (a pin GitHub refused). */
  warning?: string;
  /** GitHub's error type and message, for a write that failed. */
  error?: { type: string; message: string };
}

/** What the read asks for besides the engagement: node ids the plan may need. */
export interface ReadOptions {
  assignmentRepo: RepoRef;
  transferLabel: string;
  assignees: string[];
  /** Labels the bot may add (their ids come with the read). */
  addableLabels: string[];
  /** Logins the bot may assign, as far as they are known before the read (the FM of the event's copy of the body). */
  assignable: string[];
  /** The assignment team and who to look for among its active members (a command's author), in the same read. */
  confirmers?: { org: string; slug: string; logins: string[] };
  /** The board, read in the same request when the same token reaches it. */
  board?: ProjectRef;
}

/** The board as one read saw it: refused (the token cannot reach it), or its fields and the engagement's item. */
export type BoardRead =
  | { refused: string }
  | {
      projectId: string;
      /** By field name: its id, type and (single select) option ids by option name. */
      fields: Record<string, { id: string; dataType: string; options: Record<string, string> }>;
      /** The engagement's item and its values by field name; null when it is not on the board. */
      item: { id: string; values: Record<string, string> } | null;
    };

export interface EngagementSnapshot {
  /** The login this action acts as (GraphQL `viewer`). */
  viewer: string;
  issue: IssueView & { nodeId: string };
  /** The newest comments, oldest first; `complete` when nothing older exists. */
  comments: CommentView[];
  commentsComplete: boolean;
  /** Transfer requests found as sub-issues (newest comments included). */
  subIssueTransferRequests: TransferRequestSnapshot[];
  /** Node ids needed to open a transfer request in one call. */
  ids: { assignmentRepo: string | null; transferLabel: string | null; assignees: Record<string, string | null> };
  /** Node ids the writes of a plan about this engagement may name. */
  nodeIds: NodeIds;
  /** Of `confirmers.logins`, those the read found active in the team (lower case); null when not asked or not visible. */
  activeTeamMembers: string[] | null;
  /** The board, when one was read with the engagement. */
  board: BoardRead | null;
}

export interface TransferRequestSnapshot extends TransferRequestView {
  nodeId: string;
  /** False when it has more than the newest hundred comments read. */
  commentsComplete: boolean;
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

/** A transfer request just opened; `unlabelled` when its label had to be created with it (the plan then puts it on). */
export interface OpenedTransferRequest extends TransferRequestView {
  nodeId: string;
  unlabelled: { name: string; labelId: string | null } | null;
}

export interface IssueListItem {
  /** GraphQL node id, for reading several at once. */
  nodeId: string;
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
  readEngagement(repo: RepoRef, number: number, options: ReadOptions): Promise<EngagementSnapshot | null>;
  /** Several engagements of one repository by node id, in one read (at most 100; null where one is gone). */
  readEngagements(repo: RepoRef, nodeIds: string[], options: ReadOptions): Promise<Array<EngagementSnapshot | null>>;
  /** Every comment of an issue, oldest first (only when the newest hundred are not enough). */
  readAllComments(target: IssueTarget, viewer: string): Promise<CommentView[]>;
  /** A transfer request (or any issue) with its recent comments, and who the action is; null when it does not exist. */
  readTransferRequest(target: IssueTarget): Promise<{ viewer: string; request: TransferRequestSnapshot } | null>;
  /** Recent issues in a repository carrying `label` (newest first), for finding a transfer request. */
  recentIssuesWithLabel(repo: RepoRef, label: string, limit: number, viewer: string): Promise<TransferRequestSnapshot[]>;

  /**
   * Sends a plan's writes as one GraphQL mutation document, whose fields GitHub runs in order; a
   * write whose node ids are unknown goes by REST after it. GitHub may apply some and refuse
   * others, rolling nothing back: every write's outcome is returned, none is thrown.
   */
  applyWrites(writes: Write[], ids: NodeIds): Promise<WriteOutcome[]>;
  /** The board's fields and one engagement's item on it (a separate read, with the board's own token); the fields alone when no issue is named. */
  readBoard(project: ProjectRef, issueNodeId: string | null): Promise<BoardRead>;
  /** Adds a field to the board (\`mode: setup\`). */
  createBoardField(projectId: string, field: { name: string; dataType: 'TEXT' | 'DATE' | 'SINGLE_SELECT'; options: string[] }): Promise<void>;
  /** Every item of a board and its values, by `owner/repo#n` (lower case), a page of 100 at a time; or why it cannot be read. */
  readBoardItems(project: ProjectRef): Promise<Map<string, Record<string, string>> | { refused: string }>;
  /** Pins a comment at the top of its issue (REST; GraphQL has no such mutation). */
  pinComment(repo: RepoRef, commentId: number): Promise<void>;
  updateIssue(target: IssueTarget, patch: { body?: string; state?: 'open' | 'closed'; stateReason?: 'completed' | 'not_planned' | 'duplicate' | 'reopened' }): Promise<void>;
  /** Opens a transfer request, labelled, assigned and linked to its parent in one call when possible. */
  openTransferRequest(request: OpenTransferRequest, ids: EngagementSnapshot['ids']): Promise<OpenedTransferRequest>;

  teamMembership(org: string, slug: string, login: string): Promise<TeamMembership>;
  collaboratorPermission(repo: RepoRef, login: string): Promise<Permission>;
}
