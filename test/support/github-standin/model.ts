// Plain data types of the stand-in's world, shared by every other module (types only, no logic).

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';
export type IssueState = 'open' | 'closed';
/** REST spelling; GraphQL uses the upper-case enum values. */
export type StateReason = 'completed' | 'not_planned' | 'reopened' | 'duplicate';

export interface User {
  login: string;
  id: number;
  nodeId: string;
  type: 'User' | 'Bot';
  token: string;
}

export interface Org {
  login: string;
  id: number;
  nodeId: string;
}

export interface Label {
  id: number;
  nodeId: string;
  repo: Repo;
  name: string;
  color: string;
  description: string | null;
}

/** REST spelling of a reaction; GraphQL's ReactionContent is THUMBS_UP, THUMBS_DOWN, LAUGH, ... */
export type ReactionContent = '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';

export interface Reaction {
  id: number;
  nodeId: string;
  subject: Issue | Comment;
  user: User;
  content: ReactionContent;
  createdAt: Date;
}

/** GraphQL's ReportedContentClassifiers. */
export type MinimizeClassifier = 'ABUSE' | 'DUPLICATE' | 'OFF_TOPIC' | 'OUTDATED' | 'RESOLVED' | 'SPAM';

export interface Comment {
  id: number;
  nodeId: string;
  issue: Issue;
  author: User;
  body: string;
  createdAt: Date;
  updatedAt: Date;
  /** Reactions in the order they were added (one per user and content). */
  reactions: Reaction[];
  /** Set by minimizeComment ("hidden" in the UI), cleared by unminimizeComment. */
  minimized: { classifier: MinimizeClassifier; by: User } | null;
  /** Pinned at the top of its issue (REST PUT …/pin); an issue has one pinned comment at most. */
  pin: { at: Date; by: User } | null;
}

export interface Issue {
  repo: Repo;
  number: number;
  id: number;
  nodeId: string;
  title: string;
  body: string;
  state: IssueState;
  stateReason: StateReason | null;
  labels: Label[];
  assignees: User[];
  author: User;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  closedBy: User | null;
  comments: Comment[];
  subIssues: Issue[];
  parent: Issue | null;
  reactions: Reaction[];
  /** The issue this one was closed as a duplicate of (GraphQL closeIssue with duplicateIssueId). */
  duplicateOf: Issue | null;
}

export interface Repo {
  owner: string;
  name: string;
  fullName: string;
  id: number;
  nodeId: string;
  createdAt: Date;
  /** Keyed by lower-cased name: label names are case-insensitive on GitHub. */
  labels: Map<string, Label>;
  /** issues[n - 1] is issue number n. */
  issues: Issue[];
  /** Every comment of the repository in creation (= id) order. */
  comments: Comment[];
  openCount: number;
  /** Keyed by lower-cased login. */
  collaborators: Map<string, Permission>;
  /** Bumped by every change; invalidates `listCache`. */
  version: number;
  listCache: Map<string, { version: number; items: unknown[] }>;
}

export interface Team {
  id: number;
  nodeId: string;
  org: string;
  slug: string;
  /** Keyed by lower-cased login. */
  members: Map<string, 'active' | 'pending'>;
}

// ---------------------------------------------------------------- Projects (v2)

/** ProjectV2FieldType: the built-in kinds every project has, and the custom ones (TEXT, DATE, NUMBER, SINGLE_SELECT). */
export type ProjectFieldType =
  | 'TITLE'
  | 'ASSIGNEES'
  | 'LABELS'
  | 'LINKED_PULL_REQUESTS'
  | 'MILESTONE'
  | 'REPOSITORY'
  | 'REVIEWERS'
  | 'PARENT_ISSUE'
  | 'SUB_ISSUES_PROGRESS'
  | 'TEXT'
  | 'DATE'
  | 'NUMBER'
  | 'SINGLE_SELECT';

/** ProjectV2SingleSelectFieldOptionColor */
export type ProjectOptionColor = 'BLUE' | 'GRAY' | 'GREEN' | 'ORANGE' | 'PINK' | 'PURPLE' | 'RED' | 'YELLOW';

export interface ProjectOption {
  /** 8 hex digits, as GitHub's option ids. */
  id: string;
  name: string;
  color: ProjectOptionColor;
  description: string;
}

export interface ProjectField {
  id: number;
  /** PVTF_… (PVTSSF_… for a single select). */
  nodeId: string;
  project: Project;
  name: string;
  dataType: ProjectFieldType;
  /** Single select only (Status included). */
  options: ProjectOption[];
  createdAt: Date;
  updatedAt: Date;
}

export type ProjectValue = { text: string } | { date: string } | { number: number } | { optionId: string };

export interface ProjectItem {
  id: number;
  /** PVTI_… */
  nodeId: string;
  project: Project;
  content: Issue;
  archived: boolean;
  creator: User | null;
  /** Values of custom fields (and Status), keyed by field; built-in values (Title, Repository) are derived. */
  values: Map<ProjectField, { value: ProjectValue; createdAt: Date; updatedAt: Date; creator: User | null }>;
  createdAt: Date;
  updatedAt: Date;
}

export interface Project {
  id: number;
  /** PVT_… */
  nodeId: string;
  owner: User | Org;
  number: number;
  title: string;
  /** In board order: built-ins first (Title, Assignees, Status, …), then custom fields in creation order. */
  fields: ProjectField[];
  /** In board order (new items at the bottom). */
  items: ProjectItem[];
  createdAt: Date;
  updatedAt: Date;
}

export type NodeRef =
  | { kind: 'project'; value: Project }
  | { kind: 'projectField'; value: ProjectField }
  | { kind: 'projectItem'; value: ProjectItem }
  | { kind: 'issue'; value: Issue }
  | { kind: 'comment'; value: Comment }
  | { kind: 'reaction'; value: Reaction }
  | { kind: 'label'; value: Label }
  | { kind: 'user'; value: User }
  | { kind: 'org'; value: Org }
  | { kind: 'repo'; value: Repo };

export interface StandInEvent {
  name: 'issues' | 'issue_comment' | 'label';
  action: string;
  /** Login of the token that caused the event (the webhook `sender`). */
  actor: string;
  payload: Record<string, unknown>;
  /** 'owner/name' */
  repo: string;
}

/** An error a handler raises; REST answers `status` + `body`, GraphQL reports `graphqlType` + `message`. */
export class StandInError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly graphqlType: string = status === 404 ? 'NOT_FOUND' : status === 403 ? 'FORBIDDEN' : 'UNPROCESSABLE',
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
    this.name = 'StandInError';
  }
}

export const DOCS = 'https://docs.github.com/rest';

export function notFound(message = 'Not Found'): StandInError {
  return new StandInError(404, { message, documentation_url: DOCS, status: '404' });
}

export interface FieldError {
  resource: string;
  code: string;
  field?: string;
  message?: string;
  value?: unknown;
}

export function validationFailed(errors: FieldError[]): StandInError {
  const err = new StandInError(422, { message: 'Validation Failed', errors, documentation_url: DOCS, status: '422' });
  // GraphQL callers see the most specific text available.
  const first = errors[0];
  if (first) err.message = first.message ?? `${first.resource} ${first.field ?? ''} ${first.code}`.replace(/\s+/g, ' ').trim();
  return err;
}

export function invalidRequest(detail: string): StandInError {
  return new StandInError(422, { message: `Invalid request.\n\n${detail}`, documentation_url: DOCS, status: '422' });
}

/** How GitHub reports a minimized comment's reason (GraphQL `minimizedReason`, REST `minimized.reason`): `off-topic`. */
export function minimizedReason(classifier: MinimizeClassifier): string {
  return classifier.toLowerCase().replace(/_/g, '-');
}

/** ISO-8601 without milliseconds, as GitHub serialises timestamps. */
export function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
