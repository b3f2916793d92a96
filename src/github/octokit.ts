// The GitHub port over Octokit: one GraphQL query reads everything a decision needs; a plan's
// writes go as one GraphQL mutation document (mutation.ts), labels and assignees as deltas, never
// replaced; REST only where GraphQL cannot name what to change.
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import type { ProjectRef, RepoRef } from '../process/settings.js';
import type { IssueTarget } from '../process/settings.js';
import { sameLogin } from '../process/logins.js';
import type { CommentView } from '../process/engagement-read.js';
import type { Write } from '../core/plan.js';
import { issueKey, mutationFor } from './mutation.js';
import type {
  CommentListItem,
  EngagementSnapshot,
  NodeIds,
  ReadOptions,
  WriteOutcome,
  BoardRead,
  GitHub,
  IssueListItem,
  LabelDefinition,
  OpenTransferRequest,
  OpenedTransferRequest,
  Permission,
  TeamMembership,
  TransferRequestSnapshot,
} from './port.js';

export type Octokit = ReturnType<typeof getOctokit>;

export interface OctokitOptions {
  /** REST base URL; GraphQL is `${baseUrl}/graphql`. Defaults to GITHUB_API_URL, as on a runner. */
  baseUrl?: string;
  log?: { warning(message: string): void; info(message: string): void };
  /** Separates the write pacing of clients in one process (pacing is per id, process-wide). */
  throttleId?: string;
  /**
   * 'github' (default) spaces writes as GitHub asks (1 s between mutative requests, GraphQL ones included;
   * 3 s before a REST comment, which notifies people).
   * 'none' drops the spacing, keeping rate-limit handling: for many runs in one test process.
   */
  pacing?: 'github' | 'none';
}

function unpaced() {
  return {
    write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
    notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
  };
}

/** An Octokit that waits out rate limits and retries transient failures (5xx, resets). */
export function createOctokit(token: string, options: OctokitOptions = {}): Octokit {
  const log = options.log ?? { warning: () => undefined, info: () => undefined };
  return getOctokit(
    token,
    {
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      throttle: {
        ...(options.throttleId ? { id: options.throttleId } : {}),
        ...(options.pacing === 'none' ? unpaced() : {}),
        onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          log.warning(`Rate limit reached on ${request.method} ${request.url}; ${retryCount < 2 ? `retrying in ${retryAfter}s` : 'giving up'}`);
          return retryCount < 2;
        },
        onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          log.warning(`Secondary rate limit on ${request.method} ${request.url}; ${retryCount < 3 ? `retrying in ${retryAfter}s` : 'giving up'}`);
          return retryCount < 3;
        },
      },
      retry: { retries: 3 },
    },
    throttling,
    retry,
  );
}

const COMMENT = 'id databaseId body createdAt url isMinimized reactionGroups { content viewerHasReacted } author { login }';
const TRANSFER = `id number body state url author { login } repository { name owner { login } } labels(first: 20) { nodes { name } } comments(last: 100) { pageInfo { hasPreviousPage } nodes { ${COMMENT} } }`;

// The GraphQL documents the adapter sends (test/graphql-schema.test.ts validates each against GitHub's schema).
export const VIEWER = 'query Viewer { viewer { login } }';
const FIELD_NAME = 'field { ... on ProjectV2FieldCommon { name } }';
/** A board value as the engagement's item holds it. */
const BOARD_VALUE = `... on ProjectV2ItemFieldSingleSelectValue { name ${FIELD_NAME} } ... on ProjectV2ItemFieldTextValue { text ${FIELD_NAME} } ... on ProjectV2ItemFieldDateValue { date ${FIELD_NAME} }`;
/** The board's id and fields, when one is configured. */
const BOARD = 'projectV2(number: $boardNumber) { id fields(first: 50) { nodes { ... on ProjectV2Field { id name dataType } ... on ProjectV2SingleSelectField { id name dataType options { id name } } } } }';

/** What a decision reads of an engagement issue. */
const ENGAGEMENT = `id number title body state stateReason url
      author { login }
      labels(first: 100) { nodes { id name } }
      assignees(first: 100) { nodes { id login } }
      comments(last: 100) { pageInfo { hasPreviousPage } nodes { ${COMMENT} } }
      subIssues(first: 50) { nodes { ${TRANSFER} } }
      projectItems(first: 20) { nodes { id project { id } fieldValues(first: 20) { nodes { ${BOARD_VALUE} } } } }`;

/** Variables `$prefix0…` for `count` values of one type. */
function declared(prefix: string, count: number, type: string): string {
  return Array.from({ length: count }, (_, i) => `, $${prefix}${i}: ${type}`).join('');
}
function aliased(prefix: string, count: number, field: (variable: string) => string): string {
  return Array.from({ length: count }, (_, i) => `  ${prefix}${i}: ${field(`$${prefix}${i}`)}`).join('\n');
}

/** How many of each node-id look-up a read carries besides the engagement(s). */
export interface ReadShape {
  /** The assignment team's assignees (for opening a transfer request). */
  assignees: number;
  /** Labels the bot may add. */
  labels: number;
  /** Logins the bot may assign. */
  users: number;
  /** Logins looked for among the assignment team's active members. */
  confirmers: number;
  /** The board, read with the engagement when the same token reaches it. */
  board?: 'organization' | 'user' | null;
}

/** The node ids every read carries: the assignment repository and its label, labels to add, users. */
function lookups(shape: ReadShape): string {
  return `  assignmentRepository: repository(owner: $assignOwner, name: $assignName) { id label(name: $transferLabel) { id } }
  labelsToAdd: repository(owner: $owner, name: $name) {
${aliased('l', shape.labels, (v) => `label(name: ${v}) { id name }`)}
    id
  }
${aliased('a', shape.assignees, (v) => `user(login: ${v}) { id }`)}
${aliased('u', shape.users, (v) => `user(login: ${v}) { id login }`)}
${shape.confirmers === 0 ? '' : `  team: organization(login: $teamOrg) { team(slug: $teamSlug) {\n${aliased('c', shape.confirmers, (v) => `  members(query: ${v}, first: 10) { nodes { login } }`)}\n  } }`}
${shape.board ? `  board: ${shape.board}(login: $boardOwner) { ${BOARD} }` : ''}`;
}
function lookupVariables(shape: ReadShape): string {
  const team = shape.confirmers === 0 ? '' : `, $teamOrg: String!, $teamSlug: String!${declared('c', shape.confirmers, 'String!')}`;
  const board = shape.board ? ', $boardOwner: String!, $boardNumber: Int!' : '';
  return `$assignOwner: String!, $assignName: String!, $transferLabel: String!${declared('a', shape.assignees, 'String!')}${declared('l', shape.labels, 'String!')}${declared('u', shape.users, 'String!')}${team}${board}`;
}

/** Everything a decision needs, in one request. */
export function readEngagementQuery(shape: ReadShape): string {
  return `query ReadEngagement($owner: String!, $name: String!, $number: Int!, ${lookupVariables(shape)}) {
  viewer { login }
  repository(owner: $owner, name: $name) {
    issue(number: $number) {
      ${ENGAGEMENT}
    }
  }
${lookups(shape)}
}`;
}

/** Several engagements by node id in one request (the scan's re-reads before it writes). */
export function readEngagementsQuery(shape: ReadShape): string {
  return `query ReadEngagements($ids: [ID!]!, $owner: String!, $name: String!, ${lookupVariables(shape)}) {
  viewer { login }
  nodes(ids: $ids) {
    ... on Issue {
      ${ENGAGEMENT}
    }
  }
${lookups(shape)}
}`;
}
export const READ_TRANSFER_REQUEST = `query ReadTransferRequest($owner: String!, $name: String!, $number: Int!) {
  viewer { login }
  repository(owner: $owner, name: $name) { issue(number: $number) { ${TRANSFER} parent { number repository { name owner { login } } } } }
}`;
export const RECENT_TRANSFER_REQUESTS = `query RecentTransferRequests($owner: String!, $name: String!, $label: String!, $limit: Int!) {
  repository(owner: $owner, name: $name) {
    issues(labels: [$label], first: $limit, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { ${TRANSFER} } }
  }
}`;
/** A board's items and their values, a page at a time (the scan compares them with the engagements). */
export function readBoardItemsQuery(ownerKind: 'organization' | 'user'): string {
  return `query ReadBoardItems($owner: String!, $number: Int!, $after: String) {
  board: ${ownerKind}(login: $owner) {
    projectV2(number: $number) {
      items(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { content { ... on Issue { number repository { nameWithOwner } } } fieldValues(first: 20) { nodes { ${BOARD_VALUE} } } }
      }
    }
  }
}`;
}
/** The board and one engagement's item, with the board's own token. */
export function readBoardQuery(ownerKind: 'organization' | 'user', withIssue = true): string {
  return `query ReadBoard($boardOwner: String!, $boardNumber: Int!${withIssue ? ', $issue: ID!' : ''}) {
  board: ${ownerKind}(login: $boardOwner) { ${BOARD} }
${withIssue ? `  issue: node(id: $issue) { ... on Issue { projectItems(first: 20) { nodes { id project { id } fieldValues(first: 20) { nodes { ${BOARD_VALUE} } } } } } }` : ''}
}`;
}
/** A field the board lacks, created by \`mode: setup\`. */
export const CREATE_BOARD_FIELD = `mutation CreateBoardField($input: CreateProjectV2FieldInput!) { createProjectV2Field(input: $input) { projectV2Field { ... on ProjectV2Field { id } ... on ProjectV2SingleSelectField { id } } } }`;
export const OPEN_TRANSFER_REQUEST = `mutation OpenTransferRequest($input: CreateIssueInput!) { createIssue(input: $input) { issue { id number url } } }`;
/** The same when the request's label is missing: created in the same request; the plan that follows puts it on. */
export const OPEN_TRANSFER_REQUEST_AND_LABEL = `mutation OpenTransferRequestAndLabel($label: CreateLabelInput!, $input: CreateIssueInput!) {
  label: createLabel(input: $label) { label { id } }
  createIssue(input: $input) { issue { id number url } }
}`;

interface CommentNode {
  id: string;
  databaseId: number;
  isMinimized: boolean;
  reactionGroups: Array<{ content: string; viewerHasReacted: boolean }> | null;
  body: string;
  createdAt: string;
  url: string;
  author: { login: string } | null;
}
interface TransferNode {
  id: string;
  number: number;
  body: string;
  state: 'OPEN' | 'CLOSED';
  url: string;
  author: { login: string } | null;
  repository: { name: string; owner: { login: string } };
  labels: { nodes: Array<{ name: string }> } | null;
  comments: { pageInfo: { hasPreviousPage: boolean }; nodes: CommentNode[] };
  parent?: { number: number; repository: { name: string; owner: { login: string } } } | null;
}

function toComment(node: CommentNode, viewer: string): CommentView {
  const author = node.author?.login ?? 'ghost';
  return { id: node.databaseId, nodeId: node.id, minimized: node.isMinimized, reactedByBot: (node.reactionGroups ?? []).filter((g) => g.viewerHasReacted).map((g) => g.content), author, byBot: sameLogin(author, viewer), body: node.body, createdAt: node.createdAt, url: node.url };
}

function toTransfer(node: TransferNode, viewer: string): TransferRequestSnapshot {
  return {
    repo: { owner: node.repository.owner.login, name: node.repository.name },
    number: node.number,
    nodeId: node.id,
    url: node.url,
    state: node.state === 'OPEN' ? 'open' : 'closed',
    comments: node.comments.nodes.map((c) => toComment(c, viewer)),
    commentsComplete: !node.comments.pageInfo.hasPreviousPage,
    body: node.body,
    author: node.author?.login ?? 'ghost',
    labels: (node.labels?.nodes ?? []).map((l) => l.name),
    parent: node.parent ? { repo: { owner: node.parent.repository.owner.login, name: node.parent.repository.name }, number: node.parent.number } : null,
  };
}

interface GraphqlError {
  type?: string;
  path?: Array<string | number>;
  message: string;
}

/** A mutation whose fields named in `optional` may fail (their data null) without failing the request. */
async function graphqlTolerating<T>(octokit: Octokit, query: string, variables: Record<string, unknown>, optional: string[]): Promise<{ data: T }> {
  try {
    return { data: await octokit.graphql<T>(query, variables) };
  } catch (error) {
    const e = error as { name?: string; data?: T; errors?: GraphqlError[] };
    if (e.name === 'GraphqlResponseError' && e.data && (e.errors ?? []).every((x) => optional.includes(String(x.path?.[0])))) return { data: e.data };
    throw error;
  }
}

/** A GraphQL answer with errors still carries the data that resolved; keep it and the error paths. */
async function graphqlPartial<T>(octokit: Octokit, query: string, variables: Record<string, unknown>): Promise<{ data: T; missing: string[]; errors: GraphqlError[] }> {
  try {
    return { data: await octokit.graphql<T>(query, variables), missing: [], errors: [] };
  } catch (error) {
    const e = error as { name?: string; data?: T; errors?: GraphqlError[] };
    // Not found, or a team the token may not see (checked again by REST, which says which).
    const tolerated = (x: { type?: string; path?: Array<string | number> }) => x.type === 'NOT_FOUND' || x.path?.[0] === 'team' || x.path?.[0] === 'board';
    if (e.name === 'GraphqlResponseError' && e.data && (e.errors ?? []).every(tolerated)) {
      return { data: e.data, missing: (e.errors ?? []).map((x) => (x.path ?? []).join('.')), errors: e.errors ?? [] };
    }
    throw error;
  }
}

function isStatus(error: unknown, ...statuses: number[]): boolean {
  return typeof error === 'object' && error !== null && 'status' in error && statuses.includes((error as { status: number }).status);
}

interface RestIssue {
  node_id: string;
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels: Array<string | { name?: string }>;
  assignees?: Array<{ login: string }> | null;
  user: { login: string } | null;
  html_url: string;
  updated_at: string;
  pull_request?: unknown;
}

function toListItem(issue: RestIssue): IssueListItem {
  return {
    nodeId: issue.node_id,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    state: issue.state === 'closed' ? 'closed' : 'open',
    labels: issue.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
    assignees: (issue.assignees ?? []).map((a) => a.login),
    author: issue.user?.login ?? 'ghost',
    url: issue.html_url,
    updatedAt: issue.updated_at,
  };
}

/** An engagement issue as ReadEngagement and ReadEngagements answer it. */
interface IssueNode {
  id: string;
  number: number;
  title: string;
  body: string;
  state: 'OPEN' | 'CLOSED';
  stateReason: 'COMPLETED' | 'NOT_PLANNED' | 'REOPENED' | 'DUPLICATE' | null;
  url: string;
  author: { login: string } | null;
  labels: { nodes: Array<{ id: string; name: string }> } | null;
  assignees: { nodes: Array<{ id: string; login: string }> };
  comments: { pageInfo: { hasPreviousPage: boolean }; nodes: CommentNode[] };
  subIssues: { nodes: TransferNode[] };
  projectItems?: { nodes: Array<{ id: string; project: { id: string }; fieldValues: { nodes: BoardValueNode[] } } | null> };
}

interface BoardAnswer {
  projectV2: { id: string; fields: { nodes: Array<{ id: string; name: string; dataType: string; options?: Array<{ id: string; name: string }> } | null> } } | null;
}

type BoardValueNode = { name?: string; text?: string; date?: string; field?: { name: string } } | null;

/** An item's values by field name: an option's name, a text, a date. */
function valuesOf(nodes: BoardValueNode[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of nodes) {
    const value = v?.name ?? v?.text ?? v?.date;
    if (v?.field && value !== undefined) values[v.field.name] = value;
  }
  return values;
}

/** The board as the read answered it, with the engagement's item. */
function boardOf(answer: BoardAnswer | null | undefined, errors: GraphqlError[], issue: IssueNode): BoardRead {
  const project = answer?.projectV2;
  if (!project) {
    const refusal = errors.find((e) => e.path?.[0] === 'board');
    return { refused: refusal ? `${refusal.type ?? 'ERROR'}: ${refusal.message}` : 'the project was not found' };
  }
  const fields: Record<string, { id: string; dataType: string; options: Record<string, string> }> = {};
  for (const f of project.fields.nodes) if (f) fields[f.name] = { id: f.id, dataType: f.dataType, options: Object.fromEntries((f.options ?? []).map((o) => [o.name, o.id])) };
  const node = issue.projectItems?.nodes.find((i) => i?.project.id === project.id);
  return { projectId: project.id, fields, item: node ? { id: node.id, values: valuesOf(node.fieldValues.nodes) } : null };
}

/** The node ids every read answers besides the engagement(s). */
interface LookupAnswer {
  viewer: { login: string };
  assignmentRepository: { id: string; label: { id: string } | null } | null;
  labelsToAdd: ({ id: string } & Record<string, { id: string; name: string } | null | string>) | null;
  [alias: string]: unknown;
}
interface EngagementAnswer extends LookupAnswer {
  repository: { issue: IssueNode | null } | null;
}
interface EngagementsAnswer extends LookupAnswer {
  nodes: Array<IssueNode | Record<string, never> | null>;
}

const STATE_REASONS = { COMPLETED: 'completed', NOT_PLANNED: 'not_planned', REOPENED: 'reopened' } as const;

function issueOf(repo: RepoRef, issue: IssueNode): EngagementSnapshot['issue'] {
  return {
    repo,
    number: issue.number,
    nodeId: issue.id,
    title: issue.title,
    url: issue.url,
    state: issue.state === 'OPEN' ? 'open' : 'closed',
    stateReason: issue.stateReason && issue.stateReason !== 'DUPLICATE' ? STATE_REASONS[issue.stateReason] : null,
    body: issue.body,
    labels: (issue.labels?.nodes ?? []).map((l) => l.name),
    assignees: issue.assignees.nodes.map((a) => a.login),
    author: issue.author?.login ?? 'ghost',
  };
}

function shapeOf(options: ReadOptions): ReadShape {
  return { assignees: options.assignees.length, labels: options.addableLabels.length, users: options.assignable.length, confirmers: options.confirmers?.logins.length ?? 0, board: options.board?.ownerKind ?? null };
}

function lookupValues(repo: RepoRef, options: ReadOptions): Record<string, unknown> {
  const variables: Record<string, unknown> = {
    owner: repo.owner,
    name: repo.name,
    assignOwner: options.assignmentRepo.owner,
    assignName: options.assignmentRepo.name,
    transferLabel: options.transferLabel,
  };
  options.assignees.forEach((login, i) => (variables[`a${i}`] = login));
  options.addableLabels.forEach((label, i) => (variables[`l${i}`] = label));
  options.assignable.forEach((login, i) => (variables[`u${i}`] = login));
  if (options.confirmers && options.confirmers.logins.length > 0) {
    variables.teamOrg = options.confirmers.org;
    variables.teamSlug = options.confirmers.slug;
    options.confirmers.logins.forEach((login, i) => (variables[`c${i}`] = login));
  }
  if (options.board) {
    variables.boardOwner = options.board.owner;
    variables.boardNumber = options.board.number;
  }
  return variables;
}

const fold = (text: string) => text.toLowerCase();

function snapshotOf(repo: RepoRef, issue: IssueNode, data: LookupAnswer, options: ReadOptions, errors: GraphqlError[] = []): EngagementSnapshot {
  const viewer = data.viewer.login;
  const assignees: Record<string, string | null> = {};
  options.assignees.forEach((login, i) => (assignees[login] = (data[`a${i}`] as { id: string } | null)?.id ?? null));
  const subIssueTransferRequests = issue.subIssues.nodes.map((n) => toTransfer(n, viewer));
  const nodeIds: NodeIds = { issues: { [issueKey({ repo, number: issue.number })]: issue.id }, labels: {}, users: {} };
  for (const r of subIssueTransferRequests) nodeIds.issues[issueKey(r)] = r.nodeId;
  options.addableLabels.forEach((_, i) => {
    const label = data.labelsToAdd?.[`l${i}`];
    if (label && typeof label === 'object') nodeIds.labels[fold(label.name)] = label.id;
  });
  for (const l of issue.labels?.nodes ?? []) nodeIds.labels[fold(l.name)] = l.id;
  options.assignable.forEach((_, i) => {
    const user = data[`u${i}`] as { id: string; login: string } | null;
    if (user) nodeIds.users[fold(user.login)] = user.id;
  });
  for (const a of issue.assignees.nodes) nodeIds.users[fold(a.login)] = a.id;
  if (options.board) nodeIds.board = boardOf(data.board as BoardAnswer | null | undefined, errors, issue);
  const team = (data.team as { team: Record<string, { nodes: Array<{ login: string } | null> }> | null } | null | undefined)?.team;
  // `members(query:)` matches loosely (names too): only an exact login counts.
  const activeTeamMembers = team ? (options.confirmers?.logins ?? []).filter((login, i) => team[`c${i}`]?.nodes.some((m) => m !== null && fold(m.login) === fold(login))).map(fold) : null;
  return {
    viewer,
    issue: issueOf(repo, issue),
    comments: issue.comments.nodes.map((c) => toComment(c, viewer)),
    commentsComplete: !issue.comments.pageInfo.hasPreviousPage,
    subIssueTransferRequests,
    ids: { assignmentRepo: data.assignmentRepository?.id ?? null, transferLabel: data.assignmentRepository?.label?.id ?? null, assignees },
    nodeIds,
    activeTeamMembers,
    board: nodeIds.board ?? null,
  };
}

export class OctokitGitHub implements GitHub {
  constructor(private readonly octokit: Octokit) {}

  async viewer(): Promise<string> {
    const data = await this.octokit.graphql<{ viewer: { login: string } }>(VIEWER);
    return data.viewer.login;
  }

  async *openIssuesWithLabel(repo: RepoRef, label: string): AsyncIterable<IssueListItem[]> {
    const pages = this.octokit.paginate.iterator(this.octokit.rest.issues.listForRepo, {
      owner: repo.owner,
      repo: repo.name,
      labels: label,
      state: 'open',
      sort: 'created',
      direction: 'asc',
      per_page: 100,
    });
    for await (const page of pages) {
      // The issues endpoint lists pull requests too; engagements are issues.
      yield (page.data as RestIssue[]).filter((i) => !i.pull_request).map(toListItem);
    }
  }

  async *commentsSince(repo: RepoRef, since: string): AsyncIterable<CommentListItem[]> {
    const pages = this.octokit.paginate.iterator(this.octokit.rest.issues.listCommentsForRepo, {
      owner: repo.owner,
      repo: repo.name,
      since,
      sort: 'created',
      direction: 'asc',
      per_page: 100,
    });
    for await (const page of pages) {
      yield page.data.map((c) => ({
        id: c.id,
        issueNumber: Number(c.issue_url.split('/').pop()),
        author: c.user?.login ?? 'ghost',
        authorIsBot: c.user?.type === 'Bot',
        body: c.body ?? '',
        createdAt: c.created_at,
        url: c.html_url,
      }));
    }
  }

  async findIssueWithLabel(repo: RepoRef, label: string): Promise<IssueListItem | null> {
    const { data } = await this.octokit.rest.issues.listForRepo({ owner: repo.owner, repo: repo.name, labels: label, state: 'all', sort: 'created', direction: 'asc', per_page: 1 });
    const first = (data as RestIssue[]).find((i) => !i.pull_request);
    return first ? toListItem(first) : null;
  }

  async createIssue(repo: RepoRef, issue: { title: string; body: string; labels: string[] }): Promise<{ number: number }> {
    const { data } = await this.octokit.rest.issues.create({ owner: repo.owner, repo: repo.name, title: issue.title, body: issue.body, labels: issue.labels });
    return { number: data.number };
  }

  async listLabels(repo: RepoRef): Promise<LabelDefinition[]> {
    const labels = await this.octokit.paginate(this.octokit.rest.issues.listLabelsForRepo, { owner: repo.owner, repo: repo.name, per_page: 100 });
    return labels.map((l) => ({ name: l.name, color: l.color, description: l.description ?? '' }));
  }

  async createLabel(repo: RepoRef, label: LabelDefinition): Promise<void> {
    await this.octokit.rest.issues.createLabel({ owner: repo.owner, repo: repo.name, ...label });
  }

  async updateLabel(repo: RepoRef, currentName: string, label: LabelDefinition): Promise<void> {
    await this.octokit.rest.issues.updateLabel({ owner: repo.owner, repo: repo.name, name: currentName, new_name: label.name, color: label.color, description: label.description });
  }

  async readEngagement(repo: RepoRef, number: number, options: ReadOptions): Promise<EngagementSnapshot | null> {
    const shape = shapeOf(options);
    const variables = { ...lookupValues(repo, options), number };
    const query = readEngagementQuery(shape);
    const { data, errors } = await graphqlPartial<EngagementAnswer>(this.octokit, query, variables);
    const issue = data.repository?.issue;
    return issue ? snapshotOf(repo, issue, data, options, errors) : null;
  }

  async readEngagements(repo: RepoRef, nodeIds: string[], options: ReadOptions): Promise<Array<EngagementSnapshot | null>> {
    if (nodeIds.length === 0) return [];
    const shape = shapeOf(options);
    const variables = { ...lookupValues(repo, options), ids: nodeIds };
    const query = readEngagementsQuery(shape);
    const { data, errors } = await graphqlPartial<EngagementsAnswer>(this.octokit, query, variables);
    return data.nodes.map((node) => (node && 'number' in node ? snapshotOf(repo, node as IssueNode, data, options, errors) : null));
  }

  async readAllComments(target: IssueTarget, viewer: string): Promise<CommentView[]> {
    const all = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      owner: target.repo.owner,
      repo: target.repo.name,
      issue_number: target.number,
      per_page: 100,
    });
    return all.map((c) => {
      const author = c.user?.login ?? 'ghost';
      return { id: c.id, nodeId: c.node_id, author, byBot: sameLogin(author, viewer), body: c.body ?? '', createdAt: c.created_at, url: c.html_url };
    });
  }

  async readTransferRequest(target: IssueTarget): Promise<{ viewer: string; request: TransferRequestSnapshot } | null> {
    const query = READ_TRANSFER_REQUEST;
    const { data } = await graphqlPartial<{ viewer: { login: string }; repository: { issue: TransferNode | null } | null }>(this.octokit, query, {
      owner: target.repo.owner,
      name: target.repo.name,
      number: target.number,
    });
    const node = data.repository?.issue;
    return node ? { viewer: data.viewer.login, request: toTransfer(node, data.viewer.login) } : null;
  }

  async recentIssuesWithLabel(repo: RepoRef, label: string, limit: number, viewer: string): Promise<TransferRequestSnapshot[]> {
    const query = RECENT_TRANSFER_REQUESTS;
    const { data } = await graphqlPartial<{ repository: { issues: { nodes: TransferNode[] } } | null }>(this.octokit, query, {
      owner: repo.owner,
      name: repo.name,
      label,
      limit,
    });
    return (data.repository?.issues.nodes ?? []).map((n) => toTransfer(n, viewer));
  }

  async applyWrites(writes: Write[], ids: NodeIds): Promise<WriteOutcome[]> {
    const plan = mutationFor(writes, ids);
    const outcomes = new Map<Write, WriteOutcome>();
    for (const write of plan.done) outcomes.set(write, { write, ok: true });
    if (plan.fields.length > 0) {
      const { data, errors } = await this.sendMutation(plan.document, plan.variables);
      for (const f of plan.fields) {
        // An error without a path failed the whole document; one with a path, its own field.
        const error = errors.find((e) => e.path === undefined || e.path[0] === f.alias);
        // A comment already deleted (by a run that saw the same copy) is what was wanted.
        const benign = error && f.field === 'deleteIssueComment' && error.type === 'NOT_FOUND';
        const answer = data?.[f.alias] as { commentEdge?: { node?: { id: string; databaseId: number } }; item?: { id: string } } | null | undefined;
        const node = answer?.commentEdge?.node;
        const created = node ? { created: { id: node.databaseId, nodeId: node.id } } : {};
        // A write of several fields (the board's values) fails if any of them failed.
        if (outcomes.get(f.write)?.ok === false) continue;
        outcomes.set(f.write, error && !benign ? { write: f.write, ok: false, error: { type: error.type ?? 'ERROR', message: error.message } } : { write: f.write, ok: true, ...created });
        // Just added to the board: its values go in a second request, which needs the item's id.
        if (!error && f.field === 'addProjectV2ItemById' && answer?.item && ids.board && !('refused' in ids.board)) {
          const added = { ...ids, board: { ...ids.board, item: { id: answer.item.id, values: {} } } };
          const [outcome] = await this.applyWrites([f.write], added);
          if (outcome) outcomes.set(f.write, outcome);
        }
      }
    }
    for (const write of plan.rest) {
      try {
        const created = await this.restWrite(write);
        outcomes.set(write, { write, ok: true, ...(created ? { created } : {}) });
      } catch (error) {
        const e = error as { status?: number; message?: string };
        outcomes.set(write, { write, ok: false, error: { type: e.status ? `HTTP ${e.status}` : 'ERROR', message: e.message ?? String(error) } });
      }
    }
    return writes.map((w) => outcomes.get(w) as WriteOutcome);
  }

  /** Sends a mutation document; what GitHub answered for each field, and its errors (none when every field ran). */
  private async sendMutation(document: string, variables: Record<string, unknown>): Promise<{ data: Record<string, unknown> | null; errors: GraphqlError[] }> {
    try {
      return { data: await this.octokit.graphql<Record<string, unknown>>(document, variables), errors: [] };
    } catch (error) {
      const e = error as { name?: string; data?: Record<string, unknown>; errors?: GraphqlError[]; status?: number; message?: string };
      if (e.name === 'GraphqlResponseError') return { data: e.data ?? null, errors: e.errors ?? [{ message: String(e.message) }] };
      // The request itself failed (after the retries): nothing is known to be applied.
      return { data: null, errors: [{ type: e.status ? `HTTP ${e.status}` : 'ERROR', message: e.message ?? String(error) }] };
    }
  }

  async readBoard(project: ProjectRef, issueNodeId: string | null): Promise<BoardRead> {
    const query = readBoardQuery(project.ownerKind, issueNodeId !== null);
    const variables = { boardOwner: project.owner, boardNumber: project.number, ...(issueNodeId === null ? {} : { issue: issueNodeId }) };
    const { data, errors } = await graphqlPartial<{ board: BoardAnswer | null; issue?: Pick<IssueNode, 'projectItems'> | null }>(this.octokit, query, variables);
    return boardOf(data.board, errors, { projectItems: data.issue?.projectItems } as IssueNode);
  }

  async readBoardItems(project: ProjectRef): Promise<Map<string, Record<string, string>> | { refused: string }> {
    const items = new Map<string, Record<string, string>>();
    type Page = { board: { projectV2: { items: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ content: { number?: number; repository?: { nameWithOwner: string } } | null; fieldValues: { nodes: BoardValueNode[] } } | null> } } | null } | null };
    const query = readBoardItemsQuery(project.ownerKind);
    for (let after: string | null = null; ; ) {
      const answer: { data: Page; errors: GraphqlError[] } = await graphqlPartial<Page>(this.octokit, query, { owner: project.owner, number: project.number, after });
      const { data, errors } = answer;
      const page: NonNullable<NonNullable<Page['board']>['projectV2']>['items'] | undefined = data.board?.projectV2?.items;
      if (!page) {
        const refusal = errors.find((e) => e.path?.[0] === 'board');
        return { refused: refusal ? `${refusal.type ?? 'ERROR'}: ${refusal.message}` : 'the project was not found' };
      }
      for (const node of page.nodes) {
        const content = node?.content;
        if (!content?.number || !content.repository) continue;
        items.set(fold(`${content.repository.nameWithOwner}#${content.number}`), valuesOf(node?.fieldValues.nodes ?? []));
      }
      if (!page.pageInfo.hasNextPage) return items;
      after = page.pageInfo.endCursor;
    }
  }

  async createBoardField(projectId: string, field: { name: string; dataType: 'TEXT' | 'DATE' | 'SINGLE_SELECT'; options: string[] }): Promise<void> {
    const mutation = CREATE_BOARD_FIELD;
    const input: Record<string, unknown> = { projectId, name: field.name, dataType: field.dataType };
    if (field.dataType === 'SINGLE_SELECT') input.singleSelectOptions = field.options.map((name) => ({ name, color: 'GRAY', description: '' }));
    await this.octokit.graphql<unknown>(mutation, { input });
  }

  async pinComment(repo: RepoRef, commentId: number): Promise<void> {
    await this.octokit.request('PUT /repos/{owner}/{repo}/issues/comments/{comment_id}/pin', { owner: repo.owner, repo: repo.name, comment_id: commentId });
  }

  /** A write that cannot go in the document: by REST, one call; a comment it posts is returned. */
  private async restWrite(write: Write): Promise<{ id: number; nodeId: string } | void> {
    switch (write.kind) {
      case 'edit-comment':
        await this.octokit.rest.issues.updateComment({ owner: write.target.repo.owner, repo: write.target.repo.name, comment_id: write.commentId, body: write.body });
        return;
      case 'add-reaction':
        await this.octokit.rest.reactions.createForIssueComment({ owner: write.target.repo.owner, repo: write.target.repo.name, comment_id: write.commentId, content: write.content === 'THUMBS_UP' ? '+1' : '-1' });
        return;
      case 'minimize-comment':
        throw new Error('a comment is minimized only through GraphQL (minimizeComment); the issue is not known by node id');
      case 'create-issue':
        await this.createIssue(write.repo, { title: write.title, body: write.body, labels: write.labels });
        return;
      case 'create-label':
        return this.createLabel(write.repo, write.label);
      case 'update-label':
        return this.updateLabel(write.repo, write.name, write.label);
      case 'open-transfer-request':
        throw new Error('a transfer request is opened on its own, before the plan that names it');
      case 'update-body':
        return this.updateIssue(write.target, { body: write.body });
      case 'comment':
        return this.createComment(write.target, write.body);
      case 'delete-comment':
        return this.deleteComment(write.target.repo, write.commentId);
      case 'add-labels':
        return this.addLabels(write.target, write.labels);
      case 'remove-label':
        return this.removeLabel(write.target, write.label);
      case 'add-assignees':
        await this.addAssignees(write.target, write.logins);
        return;
      case 'remove-assignees':
        return this.removeAssignees(write.target, write.logins);
      case 'close-issue':
        return this.updateIssue(write.target, { state: 'closed', stateReason: write.reason });
      case 'reopen-issue':
        return this.updateIssue(write.target, { state: 'open', stateReason: 'reopened' });
    }
  }

  async updateIssue(target: IssueTarget, patch: { body?: string; state?: 'open' | 'closed'; stateReason?: 'completed' | 'not_planned' | 'duplicate' | 'reopened' }): Promise<void> {
    await this.octokit.rest.issues.update({
      owner: target.repo.owner,
      repo: target.repo.name,
      issue_number: target.number,
      ...(patch.body !== undefined ? { body: patch.body } : {}),
      ...(patch.state !== undefined ? { state: patch.state } : {}),
      ...(patch.stateReason !== undefined ? { state_reason: patch.stateReason } : {}),
    });
  }

  private async createComment(target: IssueTarget, body: string): Promise<{ id: number; nodeId: string }> {
    const { data } = await this.octokit.rest.issues.createComment({ owner: target.repo.owner, repo: target.repo.name, issue_number: target.number, body });
    return { id: data.id, nodeId: data.node_id };
  }

  private async addLabels(target: IssueTarget, labels: string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({ owner: target.repo.owner, repo: target.repo.name, issue_number: target.number, labels });
  }

  private async deleteComment(repo: RepoRef, commentId: number): Promise<void> {
    try {
      await this.octokit.rest.issues.deleteComment({ owner: repo.owner, repo: repo.name, comment_id: commentId });
    } catch (error) {
      if (!isStatus(error, 404)) throw error; // deleted already, by a run that saw the same copy
    }
  }

  private async removeLabel(target: IssueTarget, label: string): Promise<void> {
    try {
      await this.octokit.rest.issues.removeLabel({ owner: target.repo.owner, repo: target.repo.name, issue_number: target.number, name: label });
    } catch (error) {
      if (!isStatus(error, 404)) throw error; // already removed, by someone else or an earlier run
    }
  }

  private async addAssignees(target: IssueTarget, logins: string[]): Promise<string[]> {
    const { data } = await this.octokit.rest.issues.addAssignees({ owner: target.repo.owner, repo: target.repo.name, issue_number: target.number, assignees: logins });
    return (data.assignees ?? []).map((a) => a.login);
  }

  private async removeAssignees(target: IssueTarget, logins: string[]): Promise<void> {
    await this.octokit.rest.issues.removeAssignees({ owner: target.repo.owner, repo: target.repo.name, issue_number: target.number, assignees: logins });
  }

  async openTransferRequest(request: OpenTransferRequest, ids: EngagementSnapshot['ids']): Promise<OpenedTransferRequest> {
    const labelName = request.labels[0] as string;
    if (ids.assignmentRepo === null) {
      // Without node ids (e.g. a token that cannot read the repository's GraphQL), fall back to REST.
      const { data } = await this.octokit.rest.issues.create({
        owner: request.repo.owner,
        repo: request.repo.name,
        title: request.title,
        body: request.body,
        labels: request.labels,
        assignees: request.assignees,
      });
      return { repo: request.repo, number: data.number, nodeId: data.node_id, url: data.html_url, state: 'open', comments: [], unlabelled: null };
    }
    const assigneeIds = request.assignees.map((login) => ids.assignees[login]).filter((id): id is string => typeof id === 'string');
    const input: Record<string, unknown> = { repositoryId: ids.assignmentRepo, title: request.title, body: request.body, assigneeIds };
    if (request.parent) input.parentIssueId = request.parent.nodeId;
    if (ids.transferLabel !== null) {
      const mutation = OPEN_TRANSFER_REQUEST;
      const data = await this.octokit.graphql<{ createIssue: { issue: { id: string; number: number; url: string } } }>(mutation, { input: { ...input, labelIds: [ids.transferLabel] } });
      const issue = data.createIssue.issue;
      return { repo: request.repo, number: issue.number, nodeId: issue.id, url: issue.url, state: 'open', comments: [], unlabelled: null };
    }
    // The label is missing (no `mode: setup` yet): created in the same request as the issue.
    const mutation = OPEN_TRANSFER_REQUEST_AND_LABEL;
    const label = { repositoryId: ids.assignmentRepo, name: labelName, color: 'fbca04' };
    const { data } = await graphqlTolerating<{ label: { label: { id: string } } | null; createIssue: { issue: { id: string; number: number; url: string } } | null }>(this.octokit, mutation, { label, input }, ['label']);
    const issue = data.createIssue?.issue;
    if (!issue) throw new Error(`GitHub did not open the transfer request in ${request.repo.owner}/${request.repo.name}`);
    // Created meanwhile by someone else: the plan adds it by name (REST), one call more.
    return { repo: request.repo, number: issue.number, nodeId: issue.id, url: issue.url, state: 'open', comments: [], unlabelled: { name: labelName, labelId: data.label?.label.id ?? null } };
  }

  async teamMembership(org: string, slug: string, login: string): Promise<TeamMembership> {
    try {
      const { data } = await this.octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: login });
      return data.state === 'active' ? 'active' : 'pending';
    } catch (error) {
      if (isStatus(error, 403)) return 'team-not-visible';
      if (!isStatus(error, 404)) throw error;
    }
    // GitHub answers 404 both for "not a member" and for "you may not see this team": ask which.
    try {
      await this.octokit.rest.teams.getByName({ org, team_slug: slug });
      return 'none';
    } catch (error) {
      if (isStatus(error, 403, 404)) return 'team-not-visible';
      throw error;
    }
  }

  async collaboratorPermission(repo: RepoRef, login: string): Promise<Permission> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.name, username: login });
      const role = (data as { role_name?: string }).role_name ?? data.permission;
      return (['admin', 'maintain', 'write', 'triage', 'read'] as const).find((r) => r === role) ?? (data.permission === 'write' ? 'write' : 'none');
    } catch (error) {
      if (isStatus(error, 404)) return 'none';
      throw error;
    }
  }
}
