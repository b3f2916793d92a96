// GraphQL: the schema subset in schema.graphql, executed with graphql-js against the World.
// Resolvers are methods/getters of small node classes (graphql-js' default field resolver calls them).
import { readFileSync } from 'node:fs';
import {
  GraphQLError,
  Kind,
  buildSchema,
  executeSync,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { StandInError, iso, type Comment, type Issue, type Label, type Repo, type User } from './model.js';
import type { IssueFilter, World } from './state.js';

export const schema = buildSchema(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

const MAX_PAGE = 100;

// ---------------------------------------------------------------- request analysis (for the log and faults)

export interface GraphqlInfo {
  operation: 'query' | 'mutation';
  name?: string;
  fields: string[];
}

export interface AnalysedRequest {
  info: GraphqlInfo;
  document?: DocumentNode;
  operationName?: string;
  variables?: Record<string, unknown>;
  /** Set when the request cannot be executed at all (GitHub still answers 200 with `errors`). */
  failure?: { errors: unknown[] };
}

export function analyse(body: unknown): AnalysedRequest {
  const info: GraphqlInfo = { operation: 'query', fields: [] };
  const b = (body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof b.query !== 'string') {
    return { info, failure: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] } };
  }
  const operationName = typeof b.operationName === 'string' ? b.operationName : undefined;
  const variables = b.variables && typeof b.variables === 'object' ? (b.variables as Record<string, unknown>) : undefined;
  let document: DocumentNode;
  try {
    document = parse(b.query);
  } catch (err) {
    return { info, failure: { errors: [formatError(err as GraphQLError)] } };
  }
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
  if (op) {
    info.operation = op.operation === 'mutation' ? 'mutation' : 'query';
    if (op.name) info.name = op.name.value;
    info.fields = topLevelFields(document, op.selectionSet, new Set());
  }
  return { info, document, operationName, variables };
}

function topLevelFields(doc: DocumentNode, set: SelectionSetNode, seen: Set<string>): string[] {
  const out: string[] = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (!out.includes(sel.name.value)) out.push(sel.name.value);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      for (const f of topLevelFields(doc, sel.selectionSet, seen)) if (!out.includes(f)) out.push(f);
    } else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const frag = doc.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === sel.name.value);
      if (frag && frag.kind === Kind.FRAGMENT_DEFINITION) {
        for (const f of topLevelFields(doc, frag.selectionSet, seen)) if (!out.includes(f)) out.push(f);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- execution

interface Ctx {
  world: World;
  viewer: User;
}

/** GitHub aborts the whole query (no `data`) for these. */
const QUERY_LEVEL_ERRORS = new Set(['MISSING_PAGINATION_BOUNDARIES', 'EXCESSIVE_PAGINATION', 'INVALID_CURSOR_ARGUMENTS']);

export function executeGraphql(world: World, viewer: User, req: AnalysedRequest): Record<string, unknown> {
  if (req.failure || !req.document) return req.failure ?? { errors: [] };
  const validationErrors = validate(schema, req.document);
  if (validationErrors.length) return { errors: validationErrors.map(formatError) };
  let result: ExecutionResult;
  try {
    result = executeSync({
      schema,
      document: req.document,
      rootValue: new Root(),
      contextValue: { world, viewer } satisfies Ctx,
      variableValues: req.variables,
      operationName: req.operationName,
    });
  } catch (err) {
    return { errors: [{ message: err instanceof Error ? err.message : String(err) }] };
  }
  if (!result.errors?.length) return { data: result.data };
  const errors = result.errors.map(formatError);
  if (errors.some((e) => QUERY_LEVEL_ERRORS.has(String(e.type)))) return { errors };
  return { data: result.data ?? null, errors };
}

function formatError(err: GraphQLError): Record<string, unknown> {
  const { type, ...rest } = (err.extensions ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (type !== undefined) out.type = type;
  if (err.path) out.path = err.path;
  if (Object.keys(rest).length) out.extensions = rest;
  if (err.locations) out.locations = err.locations;
  out.message = err.message;
  return out;
}

function gqlError(type: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } });
}

/** World errors (404/422) as GitHub's typed GraphQL errors. */
function translate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StandInError) throw gqlError(err.graphqlType, err.message);
    throw err;
  }
}

function unresolvable(id: string): GraphQLError {
  return gqlError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
}

// ---------------------------------------------------------------- connections

interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString('base64');
}

function decodeCursor(cursor: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw gqlError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(m[1]);
}

function connection<T>(items: readonly T[], args: PageArgs, field: string, map: (item: T) => unknown) {
  const { first, last } = args;
  if (first == null && last == null) {
    throw gqlError(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
    );
  }
  if (first != null && last != null) {
    throw gqlError('MISSING_PAGINATION_BOUNDARIES', `Passing both \`first\` and \`last\` to paginate the \`${field}\` connection is not supported.`);
  }
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value == null) continue;
    if (value < 0) throw gqlError('EXCESSIVE_PAGINATION', `\`${name}\` on the \`${field}\` connection cannot be less than zero.`);
    if (value > MAX_PAGE) {
      throw gqlError(
        'EXCESSIVE_PAGINATION',
        `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of ${MAX_PAGE} records.`,
      );
    }
  }
  let start = args.after ? decodeCursor(args.after) + 1 : 0;
  let end = args.before ? Math.min(decodeCursor(args.before), items.length) : items.length;
  start = Math.min(start, end);
  if (first != null) end = Math.min(end, start + first);
  else if (last != null) start = Math.max(start, end - last);
  const nodes = items.slice(start, end).map(map);
  return {
    nodes,
    totalCount: items.length,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length ? encodeCursor(start) : null,
      endCursor: nodes.length ? encodeCursor(end - 1) : null,
    },
  };
}

// ---------------------------------------------------------------- nodes

class ActorNode {
  readonly __typename: 'User' | 'Bot';
  constructor(
    private readonly user: User,
    /** `viewer` and `assignees` are typed User; `author` resolves to Bot for bot accounts. */
    asActor: boolean,
  ) {
    this.__typename = asActor && user.type === 'Bot' ? 'Bot' : 'User';
  }
  get id(): string {
    return this.user.nodeId;
  }
  get databaseId(): number {
    return this.user.id;
  }
  /** GitHub's GraphQL spells bot logins without the REST `[bot]` suffix (viewer keeps it). */
  get login(): string {
    return this.__typename === 'Bot' ? this.user.login.replace(/\[bot\]$/, '') : this.user.login;
  }
  get url(): string {
    return this.user.type === 'Bot'
      ? `https://github.com/apps/${this.user.login.replace(/\[bot\]$/, '')}`
      : `https://github.com/${this.user.login}`;
  }
}

class LabelNode {
  constructor(private readonly label: Label) {}
  get id(): string {
    return this.label.nodeId;
  }
  get name(): string {
    return this.label.name;
  }
  get color(): string {
    return this.label.color;
  }
  get description(): string | null {
    return this.label.description;
  }
}

class CommentNode {
  constructor(private readonly comment: Comment) {}
  get id(): string {
    return this.comment.nodeId;
  }
  get databaseId(): number {
    return this.comment.id;
  }
  get body(): string {
    return this.comment.body;
  }
  get createdAt(): string {
    return iso(this.comment.createdAt);
  }
  get updatedAt(): string {
    return iso(this.comment.updatedAt);
  }
  get url(): string {
    const { issue } = this.comment;
    return `https://github.com/${issue.repo.fullName}/issues/${issue.number}#issuecomment-${this.comment.id}`;
  }
  get author(): ActorNode {
    return new ActorNode(this.comment.author, true);
  }
}

const STATE_REASON = { completed: 'COMPLETED', not_planned: 'NOT_PLANNED', reopened: 'REOPENED', duplicate: 'DUPLICATE' } as const;

class IssueNode {
  constructor(private readonly issue: Issue) {}
  get id(): string {
    return this.issue.nodeId;
  }
  get databaseId(): number {
    return this.issue.id;
  }
  get number(): number {
    return this.issue.number;
  }
  get title(): string {
    return this.issue.title;
  }
  get body(): string {
    return this.issue.body;
  }
  get state(): string {
    return this.issue.state.toUpperCase();
  }
  get stateReason(): string | null {
    return this.issue.stateReason ? STATE_REASON[this.issue.stateReason] : null;
  }
  get url(): string {
    return `https://github.com/${this.issue.repo.fullName}/issues/${this.issue.number}`;
  }
  get createdAt(): string {
    return iso(this.issue.createdAt);
  }
  get updatedAt(): string {
    return iso(this.issue.updatedAt);
  }
  get closedAt(): string | null {
    return this.issue.closedAt ? iso(this.issue.closedAt) : null;
  }
  get author(): ActorNode {
    return new ActorNode(this.issue.author, true);
  }
  get repository(): RepositoryNode {
    return new RepositoryNode(this.issue.repo);
  }
  get parent(): IssueNode | null {
    return this.issue.parent ? new IssueNode(this.issue.parent) : null;
  }
  labels(args: PageArgs) {
    return connection(this.issue.labels, args, 'labels', (l) => new LabelNode(l));
  }
  assignees(args: PageArgs) {
    return connection(this.issue.assignees, args, 'assignees', (u) => new ActorNode(u, false));
  }
  comments(args: PageArgs) {
    return connection(this.issue.comments, args, 'comments', (c) => new CommentNode(c));
  }
  subIssues(args: PageArgs) {
    return connection(this.issue.subIssues, args, 'subIssues', (i) => new IssueNode(i));
  }
}

type IssueStateArg = 'OPEN' | 'CLOSED';
interface IssuesArgs extends PageArgs {
  labels?: string[] | null;
  states?: IssueStateArg[] | null;
  orderBy?: { field: 'CREATED_AT' | 'UPDATED_AT' | 'COMMENTS'; direction: 'ASC' | 'DESC' } | null;
  filterBy?: { since?: string | null; createdBy?: string | null; labels?: string[] | null; states?: IssueStateArg[] | null } | null;
}

class RepositoryNode {
  constructor(private readonly repo: Repo) {}
  get id(): string {
    return this.repo.nodeId;
  }
  get name(): string {
    return this.repo.name;
  }
  get nameWithOwner(): string {
    return this.repo.fullName;
  }
  get url(): string {
    return `https://github.com/${this.repo.fullName}`;
  }
  get owner(): { login: string } {
    return { login: this.repo.owner };
  }
  issue({ number }: { number: number }): IssueNode {
    const issue = this.repo.issues[number - 1];
    if (!issue) throw gqlError('NOT_FOUND', `Could not resolve to an issue or pull request with the number of ${number}.`);
    return new IssueNode(issue);
  }
  label({ name }: { name: string }): LabelNode | null {
    const label = this.repo.labels.get(name.toLowerCase());
    return label ? new LabelNode(label) : null;
  }
  issues(args: IssuesArgs, ctx: Ctx) {
    const states = [...(args.states ?? []), ...(args.filterBy?.states ?? [])].map((s) => (s === 'OPEN' ? 'open' : 'closed'));
    const labels = [...(args.labels ?? []), ...(args.filterBy?.labels ?? [])];
    const sinceText = args.filterBy?.since;
    const since = sinceText ? new Date(sinceText) : undefined;
    if (since && Number.isNaN(since.getTime())) throw gqlError('INVALID_ARGUMENT', `Invalid DateTime: ${sinceText}`);
    const order = args.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' };
    const filter: IssueFilter = {
      states,
      labelsAny: labels.length ? labels : undefined,
      since,
      creator: args.filterBy?.createdBy ?? undefined,
      sort: order.field === 'UPDATED_AT' ? 'updated' : order.field === 'COMMENTS' ? 'comments' : 'created',
      direction: order.direction === 'DESC' ? 'desc' : 'asc',
    };
    return connection(ctx.world.queryIssues(this.repo, filter), args, 'issues', (i) => new IssueNode(i));
  }
}

function node<K extends 'issue' | 'label' | 'user' | 'repo'>(world: World, id: string, kind: K) {
  const ref = world.nodes.get(id);
  if (!ref || ref.kind !== kind) throw unresolvable(id);
  return ref.value as K extends 'issue' ? Issue : K extends 'label' ? Label : K extends 'user' ? User : Repo;
}

function issueByUrl(world: World, url: string): Issue {
  const m = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/issues\/(\d+)\/?$/.exec(url);
  const issue = m ? world.repo(`${m[1]}/${m[2]}`)?.issues[Number(m[3]) - 1] : undefined;
  if (!issue) throw gqlError('NOT_FOUND', `Could not resolve to an issue with the URL of '${url}'.`);
  return issue;
}

interface CreateIssueInput {
  repositoryId: string;
  title: string;
  body?: string | null;
  assigneeIds?: string[] | null;
  labelIds?: string[] | null;
  parentIssueId?: string | null;
  clientMutationId?: string | null;
}

interface AddSubIssueInput {
  issueId: string;
  subIssueId?: string | null;
  subIssueUrl?: string | null;
  replaceParent?: boolean | null;
  clientMutationId?: string | null;
}

class Root {
  viewer(_args: unknown, ctx: Ctx): ActorNode {
    return new ActorNode(ctx.viewer, false);
  }

  repository({ owner, name }: { owner: string; name: string }, ctx: Ctx): RepositoryNode {
    const repo = ctx.world.repo(`${owner}/${name}`);
    if (!repo) throw gqlError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
    return new RepositoryNode(repo);
  }

  user({ login }: { login: string }, ctx: Ctx): ActorNode {
    const user = ctx.world.users.get(login.toLowerCase());
    if (!user || user.type !== 'User') throw gqlError('NOT_FOUND', `Could not resolve to a User with the login of '${login}'.`);
    return new ActorNode(user, false);
  }

  createIssue({ input }: { input: CreateIssueInput }, ctx: Ctx) {
    const { world } = ctx;
    // Resolve every id first so that nothing changes when one of them is bad.
    const repo = node(world, input.repositoryId, 'repo');
    const labels = (input.labelIds ?? []).map((id) => node(world, id, 'label'));
    for (const label of labels) {
      if (label.repo !== repo) throw unresolvable(label.nodeId);
    }
    const assignees = (input.assigneeIds ?? []).map((id) => node(world, id, 'user'));
    const parent = input.parentIssueId ? node(world, input.parentIssueId, 'issue') : undefined;
    const issue = translate(() =>
      world.createIssue(ctx.viewer, repo, { title: input.title, body: input.body ?? '', labels, assignees, parent }),
    );
    return { clientMutationId: input.clientMutationId ?? null, issue: new IssueNode(issue) };
  }

  addSubIssue({ input }: { input: AddSubIssueInput }, ctx: Ctx) {
    const { world } = ctx;
    const parent = node(world, input.issueId, 'issue');
    let sub: Issue;
    if (input.subIssueId) sub = node(world, input.subIssueId, 'issue');
    else if (input.subIssueUrl) sub = issueByUrl(world, input.subIssueUrl);
    else throw gqlError('UNPROCESSABLE', 'Either subIssueId or subIssueUrl is required.');
    translate(() => world.addSubIssue(ctx.viewer, parent, sub, input.replaceParent === true));
    return { clientMutationId: input.clientMutationId ?? null, issue: new IssueNode(parent), subIssue: new IssueNode(sub) };
  }
}
