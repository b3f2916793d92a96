// GraphQL: the schema subset in schema.graphql, executed with graphql-js against the World.
// Resolvers are methods/getters of small node classes (graphql-js' default field resolver calls them); abstract
// types (Node, Actor, Reactable, ...) resolve through each node's `__typename`.
//
// Mutation documents run as on GitHub: top-level fields one after the other; a field that fails (a resolver throws
// before changing anything) is `null` in `data` with an entry in `errors` carrying its `type` and `path` (the alias
// or field name); the fields before it stay applied and the ones after it still run.
import { readFileSync } from 'node:fs';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  buildSchema,
  defaultFieldResolver,
  executeSync,
  getArgumentValues,
  getNamedType,
  getVariableValues,
  parse,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLScalarType,
  type ValueNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldFaultError, type FaultTarget, type Faults } from './faults.js';
import {
  StandInError,
  iso,
  minimizedReason,
  type Comment,
  type Issue,
  type Label,
  type MinimizeClassifier,
  type NodeRef,
  type Org,
  type Permission,
  type Project,
  type ProjectField,
  type ProjectFieldType,
  type ProjectItem,
  type ProjectOption,
  type ProjectOptionColor,
  type Reaction,
  type ReactionContent,
  type Repo,
  type Team,
  type StateReason,
  type User,
} from './model.js';
import { authorAssociation } from './serialize.js';
import { isDate, repoOf, type IssueFilter, type IssuePatch, type World } from './state.js';

export const schema = buildSchema(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

// GitHub's Date scalar is strict: anything but an existing YYYY-MM-DD date fails coercion (the whole document).
function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isDate(value)) throw new TypeError(`Could not coerce value ${JSON.stringify(value)} to Date`);
  return value;
}
Object.assign(schema.getType('Date') as GraphQLScalarType, {
  parseValue: parseDate,
  parseLiteral: (ast: ValueNode) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

const MAX_PAGE = 100;
/** GitHub's limit on `nodes(ids:)`. */
const MAX_NODE_IDS = 100;

// ---------------------------------------------------------------- request analysis (for the log and faults)

export interface GraphqlInfo {
  operation: 'query' | 'mutation';
  name?: string;
  /** The top-level field names in document order, each once (`c0: addComment, c1: addComment` is one `addComment`). */
  fields: string[];
  /** The top-level response keys (alias, else field name) in document order: one per field that runs. */
  keys: string[];
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
  const info: GraphqlInfo = { operation: 'query', fields: [], keys: [] };
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
    const all = topLevelFields(document, op.selectionSet, new Set());
    for (const f of all) {
      if (!info.fields.includes(f.name)) info.fields.push(f.name);
      if (!info.keys.includes(f.key)) info.keys.push(f.key);
    }
  }
  return { info, document, operationName, variables };
}

function topLevelFields(doc: DocumentNode, set: SelectionSetNode, seen: Set<string>): Array<{ name: string; key: string }> {
  const out: Array<{ name: string; key: string }> = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      out.push({ name: sel.name.value, key: sel.alias?.value ?? sel.name.value });
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      out.push(...topLevelFields(doc, sel.selectionSet, seen));
    } else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const frag = doc.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === sel.name.value);
      if (frag && frag.kind === Kind.FRAGMENT_DEFINITION) out.push(...topLevelFields(doc, frag.selectionSet, seen));
    }
  }
  return out;
}

// ---------------------------------------------------------------- execution

interface Ctx {
  world: World;
  viewer: User;
  faults?: Faults;
  target: FaultTarget;
  requestId: string;
  /** Top-level fields started so far (1-based position of the current one). */
  position: number;
  stopAfter?: number;
}

export interface ExecuteOptions {
  /** Rules of kind 'graphql-error' are matched against each top-level field as it starts. */
  faults?: Faults;
  /** The request, for fault matching and messages. */
  request?: { method: string; path: string; requestId: string };
  /** Runs only the first `stopAfter` top-level fields (for an HTTP fault answered part-way through a document). */
  stopAfter?: number;
}

/** GitHub aborts the whole query (no `data`) for these. */
const QUERY_LEVEL_ERRORS = new Set(['MISSING_PAGINATION_BOUNDARIES', 'EXCESSIVE_PAGINATION', 'INVALID_CURSOR_ARGUMENTS']);
/** ... and for this one answers `data: null`. */
const NULL_DATA_ERRORS = new Set(['ARGUMENT_LIMIT']);

export function executeGraphql(world: World, viewer: User, req: AnalysedRequest, opts: ExecuteOptions = {}): Record<string, unknown> {
  if (req.failure || !req.document) return req.failure ?? { errors: [] };
  const validationErrors = validate(schema, req.document);
  if (validationErrors.length) return { errors: validationErrors.map(formatError) };
  // GitHub checks connection arguments before it runs anything: a mutation document with a bad `first` changes nothing.
  const staticErrors = checkConnections(req);
  if (staticErrors.length) return { errors: staticErrors.map(formatError) };
  const ctx: Ctx = {
    world,
    viewer,
    faults: opts.faults,
    target: {
      method: opts.request?.method ?? 'POST',
      path: opts.request?.path ?? '/graphql',
      graphql: req.info.operation,
      actor: viewer.login,
    },
    requestId: opts.request?.requestId ?? '0000000000000000',
    position: 0,
    stopAfter: opts.stopAfter,
  };
  let result: ExecutionResult;
  try {
    result = executeSync({
      schema,
      document: req.document,
      rootValue: new Root(),
      contextValue: ctx,
      variableValues: req.variables,
      operationName: req.operationName,
      fieldResolver: resolveField,
    });
  } catch (err) {
    return { errors: [{ message: err instanceof Error ? err.message : String(err) }] };
  }
  if (!result.errors?.length) return { data: result.data };
  const errors = result.errors.map(formatError);
  if (errors.some((e) => QUERY_LEVEL_ERRORS.has(String(e.type)))) return { errors };
  if (errors.some((e) => NULL_DATA_ERRORS.has(String(e.type)))) return { data: null, errors: errors.filter((e) => NULL_DATA_ERRORS.has(String(e.type))) };
  return { data: result.data ?? null, errors };
}

/** The default resolver, with 'graphql-error' faults and `stopAfter` applied to top-level fields. */
const resolveField: GraphQLFieldResolver<unknown, Ctx> = (source, args, ctx, info) => {
  if (info.path.prev !== undefined) return defaultFieldResolver(source, args, ctx, info);
  const position = ++ctx.position;
  if (ctx.stopAfter !== undefined && position > ctx.stopAfter) return null;
  const rule = ctx.faults?.takeField({ ...ctx.target, field: info.fieldName, position });
  if (!rule) return defaultFieldResolver(source, args, ctx, info);
  const { type, message } = fieldFaultError(rule, ctx.requestId);
  const error = new GraphQLError(message, { extensions: type === undefined ? {} : { type } });
  if (rule.afterApplying) defaultFieldResolver(source, args, ctx, info);
  throw error;
};

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

/** World errors (404/422) as GitHub's typed GraphQL errors, with the wording of GitHub's GraphQL validations. */
function translate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof StandInError)) throw err;
    const first = (err.body.errors as Array<{ code?: string; field?: string; message?: string }> | undefined)?.[0];
    let message = err.message;
    if (first?.code === 'missing_field' && first.field) message = `${capitalise(first.field)} can't be blank`;
    else if (first?.code === 'already_exists' && first.field) message = `${capitalise(first.field)} has already been taken`;
    else if (first?.code === 'invalid' && first.field) message = `${capitalise(first.field)} is invalid`;
    else if (first?.message) message = capitalise(first.message);
    throw gqlError(err.graphqlType, message);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function unresolvable(id: string): GraphQLError {
  return gqlError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
}

// ---------------------------------------------------------------- permissions

const RANK: Record<Permission, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/**
 * Throws GitHub's FORBIDDEN error unless the viewer may run `mutation` on `repo`. Users need `needed` (every user
 * has read on the stand-in's public repositories), or to be the author when `ownContent` is set; bots need write
 * for any change (their role, if given with addCollaborator, stands for the token's `issues` permission).
 */
function allow(ctx: Ctx, repo: Repo, needed: Permission, mutation: string, ownContent = false): void {
  if (mayDo(ctx, repo, needed, ownContent)) return;
  const name = capitalise(mutation);
  throw gqlError(
    'FORBIDDEN',
    ctx.viewer.type === 'Bot' ? 'Resource not accessible by integration' : `${ctx.viewer.login} does not have the correct permissions to execute \`${name}\``,
  );
}

function mayDo(ctx: Ctx, repo: Repo, needed: Permission, ownContent = false): boolean {
  const { world, viewer } = ctx;
  if (viewer.type === 'Bot') return world.hasAccess(repo, viewer, RANK[needed] > RANK.write ? needed : 'write');
  if (ownContent && world.hasAccess(repo, viewer, 'read')) return true;
  return world.hasAccess(repo, viewer, needed);
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

/** The error GitHub gives for a connection's `first`/`last`, if any. */
function boundsError(args: PageArgs, field: string): GraphQLError | undefined {
  const { first, last } = args;
  if (first == null && last == null) {
    return gqlError(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
    );
  }
  if (first != null && last != null) {
    return gqlError('MISSING_PAGINATION_BOUNDARIES', `Passing both \`first\` and \`last\` to paginate the \`${field}\` connection is not supported.`);
  }
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value == null) continue;
    if (value < 0) return gqlError('EXCESSIVE_PAGINATION', `\`${name}\` on the \`${field}\` connection cannot be less than zero.`);
    if (value > MAX_PAGE) {
      return gqlError(
        'EXCESSIVE_PAGINATION',
        `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of ${MAX_PAGE} records.`,
      );
    }
  }
  return undefined;
}

/** Connection arguments of every field of the document, checked before anything runs (as GitHub does). */
function checkConnections(req: AnalysedRequest): GraphQLError[] {
  const document = req.document as DocumentNode;
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = req.operationName ? ops.find((o) => o.name?.value === req.operationName) : ops[0];
  if (!op) return [];
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], req.variables ?? {});
  if (coerced.errors) return []; // execution reports these
  const errors: GraphQLError[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const def = typeInfo.getFieldDef();
        if (!def || !getNamedType(def.type).name.endsWith('Connection')) return;
        if (!def.args.some((a) => a.name === 'first')) return;
        let args: PageArgs;
        try {
          args = getArgumentValues(def, node, coerced.coerced) as PageArgs;
        } catch {
          return; // execution reports bad arguments
        }
        const error = boundsError(args, def.name);
        if (error) errors.push(error);
      },
    }),
  );
  return errors;
}

function connection<T>(items: readonly T[], args: PageArgs, field: string, map: (item: T) => unknown) {
  const error = boundsError(args, field);
  if (error) throw error;
  const { first, last } = args;
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
  projectV2({ number }: { number: number }, ctx: Ctx): ProjectNode {
    return projectByNumber(ctx, this.user.login, number);
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

class TeamNode {
  readonly __typename = 'Team';
  constructor(
    private readonly team: Team,
    private readonly world: World,
  ) {}
  get id(): string {
    return this.team.nodeId;
  }
  get name(): string {
    return this.team.slug;
  }
  get slug(): string {
    return this.team.slug;
  }
  members(args: PageArgs & { query?: string | null }) {
    const query = (args.query ?? '').toLowerCase();
    const active = [...this.team.members]
      .filter(([login, state]) => state === 'active' && login.includes(query))
      .map(([login]) => this.world.users.get(login))
      .filter((u): u is User => u !== undefined);
    return connection(active, args, 'members', (u) => new ActorNode(u, false));
  }
}

class OrgNode {
  readonly __typename = 'Organization';
  constructor(
    private readonly org: Org,
    private readonly world?: World,
  ) {}
  projectV2({ number }: { number: number }, ctx: Ctx): ProjectNode {
    return projectByNumber(ctx, this.org.login, number);
  }
  team({ slug }: { slug: string }): TeamNode | null {
    const team = this.world?.team(this.org.login, slug);
    return team && this.world?.teamsVisible ? new TeamNode(team, this.world) : null;
  }
  get id(): string {
    return this.org.nodeId;
  }
  get databaseId(): number {
    return this.org.id;
  }
  get login(): string {
    return this.org.login;
  }
  get url(): string {
    return `https://github.com/${this.org.login}`;
  }
}

class LabelNode {
  readonly __typename = 'Label';
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
  get isDefault(): boolean {
    return false;
  }
  get url(): string {
    return `https://github.com/${this.label.repo.fullName}/labels/${encodeURIComponent(this.label.name)}`;
  }
}

/** GraphQL ReactionContent <-> the REST spelling, in the order GitHub lists reaction groups. */
const REACTIONS: ReadonlyArray<readonly [string, ReactionContent]> = [
  ['THUMBS_UP', '+1'],
  ['THUMBS_DOWN', '-1'],
  ['LAUGH', 'laugh'],
  ['HOORAY', 'hooray'],
  ['CONFUSED', 'confused'],
  ['HEART', 'heart'],
  ['ROCKET', 'rocket'],
  ['EYES', 'eyes'],
];
const TO_REST = new Map(REACTIONS.map(([g, r]) => [g, r]));
const TO_GRAPHQL = new Map(REACTIONS.map(([g, r]) => [r, g]));

function subjectNode(subject: Issue | Comment): IssueNode | CommentNode {
  return 'issue' in subject ? new CommentNode(subject) : new IssueNode(subject);
}

class ReactionNode {
  readonly __typename = 'Reaction';
  constructor(private readonly reaction: Reaction) {}
  get id(): string {
    return this.reaction.nodeId;
  }
  get databaseId(): number {
    return this.reaction.id;
  }
  get content(): string {
    return TO_GRAPHQL.get(this.reaction.content) as string;
  }
  get createdAt(): string {
    return iso(this.reaction.createdAt);
  }
  get reactable(): IssueNode | CommentNode {
    return subjectNode(this.reaction.subject);
  }
  /** Typed User: null for a bot's reaction (bots are only among ReactionGroup.reactors). */
  get user(): ActorNode | null {
    return this.reaction.user.type === 'Bot' ? null : new ActorNode(this.reaction.user, false);
  }
}

class ReactionGroupNode {
  constructor(
    private readonly of: Issue | Comment,
    readonly content: string,
    private readonly list: readonly Reaction[],
  ) {}
  get createdAt(): string | null {
    const first = this.list[0];
    return first ? iso(first.createdAt) : null;
  }
  get subject(): IssueNode | CommentNode {
    return subjectNode(this.of);
  }
  reactors(args: PageArgs) {
    return connection(this.list, args, 'reactors', (r) => new ActorNode(r.user, true));
  }
  users(args: PageArgs) {
    const users = this.list.filter((r) => r.user.type !== 'Bot');
    return connection(users, args, 'users', (r) => new ActorNode(r.user, false));
  }
  viewerHasReacted(_args: unknown, ctx: Ctx): boolean {
    return this.list.some((r) => r.user === ctx.viewer);
  }
}

/** GitHub lists all eight groups, empty ones included, in a fixed order. */
function reactionGroups(subject: Issue | Comment): ReactionGroupNode[] {
  return REACTIONS.map(([g, r]) => new ReactionGroupNode(subject, g, subject.reactions.filter((x) => x.content === r)));
}

interface ReactionsArgs extends PageArgs {
  content?: string | null;
  orderBy?: { field: 'CREATED_AT'; direction: 'ASC' | 'DESC' } | null;
}

function reactions(subject: Issue | Comment, args: ReactionsArgs, ctx: Ctx) {
  const wanted = args.content ? TO_REST.get(args.content) : undefined;
  let list = wanted ? subject.reactions.filter((r) => r.content === wanted) : subject.reactions.slice();
  if (args.orderBy?.direction === 'DESC') list = list.reverse();
  return {
    ...connection(list, args, 'reactions', (r) => new ReactionNode(r)),
    viewerHasReacted: list.some((r) => r.user === ctx.viewer),
  };
}

class CommentNode {
  readonly __typename = 'IssueComment';
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
  get authorAssociation(): string {
    return authorAssociation(this.comment.issue.repo, this.comment.author);
  }
  get issue(): IssueNode {
    return new IssueNode(this.comment.issue);
  }
  get repository(): RepositoryNode {
    return new RepositoryNode(this.comment.issue.repo);
  }
  get isMinimized(): boolean {
    return this.comment.minimized !== null;
  }
  get minimizedReason(): string | null {
    return this.comment.minimized ? minimizedReason(this.comment.minimized.classifier) : null;
  }
  get reactionGroups(): ReactionGroupNode[] {
    return reactionGroups(this.comment);
  }
  reactions(args: ReactionsArgs, ctx: Ctx) {
    return reactions(this.comment, args, ctx);
  }
  viewerCanDelete(_args: unknown, ctx: Ctx): boolean {
    return mayDo(ctx, this.comment.issue.repo, 'write', this.comment.author === ctx.viewer);
  }
  viewerCanUpdate(_args: unknown, ctx: Ctx): boolean {
    return mayDo(ctx, this.comment.issue.repo, 'write', this.comment.author === ctx.viewer);
  }
  viewerCanMinimize(_args: unknown, ctx: Ctx): boolean {
    return mayDo(ctx, this.comment.issue.repo, 'write');
  }
  viewerCanReact(_args: unknown, ctx: Ctx): boolean {
    return mayDo(ctx, this.comment.issue.repo, 'read');
  }
  viewerDidAuthor(_args: unknown, ctx: Ctx): boolean {
    return this.comment.author === ctx.viewer;
  }
}

const STATE_REASON = { completed: 'COMPLETED', not_planned: 'NOT_PLANNED', reopened: 'REOPENED', duplicate: 'DUPLICATE' } as const;

class IssueNode {
  readonly __typename = 'Issue';
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
  get closed(): boolean {
    return this.issue.state === 'closed';
  }
  /** GitHub answers NOT_PLANNED for a duplicate unless asked with `enableDuplicate: true`. */
  stateReason({ enableDuplicate }: { enableDuplicate?: boolean | null }): string | null {
    const reason = this.issue.stateReason;
    if (!reason) return null;
    return reason === 'duplicate' && !enableDuplicate ? 'NOT_PLANNED' : STATE_REASON[reason];
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
  get authorAssociation(): string {
    return authorAssociation(this.issue.repo, this.issue.author);
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
  get reactionGroups(): ReactionGroupNode[] {
    return reactionGroups(this.issue);
  }
  reactions(args: ReactionsArgs, ctx: Ctx) {
    return reactions(this.issue, args, ctx);
  }
  viewerCanClose(_args: unknown, ctx: Ctx): boolean {
    return mayDo(ctx, this.issue.repo, 'triage', this.issue.author === ctx.viewer);
  }
  viewerCanReopen(_args: unknown, ctx: Ctx): boolean {
    return mayDo(ctx, this.issue.repo, 'triage', this.issue.author === ctx.viewer);
  }
  viewerCanLabel(_args: unknown, ctx: Ctx): boolean {
    return mayDo(ctx, this.issue.repo, 'triage');
  }
  viewerCanReact(_args: unknown, ctx: Ctx): boolean {
    return mayDo(ctx, this.issue.repo, 'read');
  }
  viewerCanUpdate(_args: unknown, ctx: Ctx): boolean {
    return mayDo(ctx, this.issue.repo, 'write', this.issue.author === ctx.viewer);
  }
  viewerDidAuthor(_args: unknown, ctx: Ctx): boolean {
    return this.issue.author === ctx.viewer;
  }
  /** Items of the projects the viewer's token may see; the others are left out. */
  projectItems(args: PageArgs & { includeArchived?: boolean | null }, ctx: Ctx) {
    const items = ctx.world
      .itemsOfIssue(this.issue)
      .filter((i) => (args.includeArchived !== false || !i.archived) && ctx.world.mayUseProjects(ctx.viewer, i.project.owner.login));
    return connection(items, args, 'projectItems', (i) => new ProjectItemNode(i));
  }
}

type IssueStateArg = 'OPEN' | 'CLOSED';
interface IssuesArgs extends PageArgs {
  labels?: string[] | null;
  states?: IssueStateArg[] | null;
  orderBy?: { field: 'CREATED_AT' | 'UPDATED_AT' | 'COMMENTS'; direction: 'ASC' | 'DESC' } | null;
  filterBy?: { since?: string | null; createdBy?: string | null; labels?: string[] | null; states?: IssueStateArg[] | null } | null;
}

interface LabelsArgs extends PageArgs {
  orderBy?: { field: 'CREATED_AT' | 'NAME'; direction: 'ASC' | 'DESC' } | null;
  query?: string | null;
}

class RepositoryNode {
  readonly __typename = 'Repository';
  constructor(private readonly repo: Repo) {}
  get id(): string {
    return this.repo.nodeId;
  }
  get databaseId(): number {
    return this.repo.id;
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
  owner(_args: unknown, ctx: Ctx): ActorNode | OrgNode {
    const owner = ctx.world.ownerEntity(this.repo.owner);
    return 'type' in owner ? new ActorNode(owner, false) : new OrgNode(owner);
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
  /** `query` matches names and descriptions, case-insensitively. */
  labels(args: LabelsArgs) {
    const q = args.query?.toLowerCase();
    const all = [...this.repo.labels.values()].filter(
      (l) => !q || l.name.toLowerCase().includes(q) || (l.description ?? '').toLowerCase().includes(q),
    );
    const order = args.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' };
    const sign = order.direction === 'DESC' ? -1 : 1;
    all.sort((a, b) => sign * (order.field === 'NAME' ? a.name.localeCompare(b.name) || a.id - b.id : a.id - b.id));
    return connection(all, args, 'labels', (l) => new LabelNode(l));
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

// ---------------------------------------------------------------- Projects (v2)

function projectForbidden(ctx: Ctx): GraphQLError {
  return gqlError(
    'FORBIDDEN',
    ctx.viewer.type === 'Bot' ? 'Resource not accessible by integration' : 'Resource not accessible by personal access token',
  );
}

/** Throws FORBIDDEN unless the viewer's token was granted the project owner's projects. */
function allowProjects(ctx: Ctx, owner: string): void {
  if (!ctx.world.mayUseProjects(ctx.viewer, owner)) throw projectForbidden(ctx);
}

/** `organization.projectV2` / `user.projectV2`: FORBIDDEN first (GitHub does not tell an integration what exists), then NOT_FOUND. */
function projectByNumber(ctx: Ctx, owner: string, number: number): ProjectNode {
  allowProjects(ctx, owner);
  const project = ctx.world.project(owner, number);
  if (!project) throw gqlError('NOT_FOUND', `Could not resolve to a ProjectV2 with the number ${number}.`);
  return new ProjectNode(project);
}

function ownerNode(owner: User | Org): ActorNode | OrgNode {
  return 'type' in owner ? new ActorNode(owner, false) : new OrgNode(owner);
}

class ProjectNode {
  readonly __typename = 'ProjectV2';
  constructor(private readonly project: Project) {}
  get id(): string {
    return this.project.nodeId;
  }
  get number(): number {
    return this.project.number;
  }
  get title(): string {
    return this.project.title;
  }
  get url(): string {
    const { owner } = this.project;
    return `https://github.com/${'type' in owner ? 'users' : 'orgs'}/${owner.login}/projects/${this.project.number}`;
  }
  get closed(): boolean {
    return false;
  }
  get public(): boolean {
    return false;
  }
  get createdAt(): string {
    return iso(this.project.createdAt);
  }
  get updatedAt(): string {
    return iso(this.project.updatedAt);
  }
  get owner(): ActorNode | OrgNode {
    return ownerNode(this.project.owner);
  }
  field({ name }: { name: string }): ProjectFieldNode | null {
    const field = this.project.fields.find((f) => f.name === name);
    return field ? new ProjectFieldNode(field) : null;
  }
  fields(args: PageArgs) {
    return connection(this.project.fields, args, 'fields', (f) => new ProjectFieldNode(f));
  }
  items(args: PageArgs) {
    return connection(this.project.items, args, 'items', (i) => new ProjectItemNode(i));
  }
}

class ProjectFieldNode {
  readonly __typename: 'ProjectV2Field' | 'ProjectV2SingleSelectField';
  constructor(private readonly field: ProjectField) {
    this.__typename = field.dataType === 'SINGLE_SELECT' ? 'ProjectV2SingleSelectField' : 'ProjectV2Field';
  }
  get id(): string {
    return this.field.nodeId;
  }
  get name(): string {
    return this.field.name;
  }
  get dataType(): string {
    return this.field.dataType;
  }
  get createdAt(): string {
    return iso(this.field.createdAt);
  }
  get updatedAt(): string {
    return iso(this.field.updatedAt);
  }
  get project(): ProjectNode {
    return new ProjectNode(this.field.project);
  }
  options({ names }: { names?: string[] | null }): ProjectOption[] {
    const wanted = names?.map((n) => n.toLowerCase());
    return this.field.options.filter((o) => !wanted || wanted.includes(o.name.toLowerCase()));
  }
}

function valueId(item: ProjectItem, field: ProjectField): string {
  return `PVTFV_${Buffer.from(`04:PVTFV${item.id}:${field.id}`).toString('base64url')}`;
}

/** One value of an item: built in (Title, Repository) or set (Status and custom fields). */
class ProjectValueNode {
  readonly __typename: string;
  /** ProjectV2ItemFieldValueCommon.field and .item */
  readonly field: ProjectFieldNode;
  readonly item: ProjectItemNode;
  constructor(
    private readonly of: ProjectItem,
    private readonly f: ProjectField,
  ) {
    this.field = new ProjectFieldNode(f);
    this.item = new ProjectItemNode(of);
    const set = of.values.get(f)?.value;
    const field = f;
    this.__typename =
      field.dataType === 'REPOSITORY'
        ? 'ProjectV2ItemFieldRepositoryValue'
        : field.dataType === 'TITLE' || (set && 'text' in set)
          ? 'ProjectV2ItemFieldTextValue'
          : set && 'date' in set
            ? 'ProjectV2ItemFieldDateValue'
            : set && 'number' in set
              ? 'ProjectV2ItemFieldNumberValue'
              : 'ProjectV2ItemFieldSingleSelectValue';
  }
  private get stored() {
    return this.of.values.get(this.f);
  }
  private get option(): ProjectOption | undefined {
    const v = this.stored?.value;
    return v && 'optionId' in v ? this.f.options.find((o) => o.id === v.optionId) : undefined;
  }
  get id(): string {
    return valueId(this.of, this.f);
  }
  get createdAt(): string {
    return iso(this.stored?.createdAt ?? this.of.createdAt);
  }
  get updatedAt(): string {
    return iso(this.f.dataType === 'TITLE' ? this.of.content.updatedAt : (this.stored?.updatedAt ?? this.of.updatedAt));
  }
  get creator(): ActorNode | null {
    const by = this.stored ? this.stored.creator : this.of.creator;
    return by ? new ActorNode(by, true) : null;
  }
  get text(): string | null {
    if (this.f.dataType === 'TITLE') return this.of.content.title;
    const v = this.stored?.value;
    return v && 'text' in v ? v.text : null;
  }
  get date(): string | null {
    const v = this.stored?.value;
    return v && 'date' in v ? v.date : null;
  }
  get number(): number | null {
    const v = this.stored?.value;
    return v && 'number' in v ? v.number : null;
  }
  get optionId(): string | null {
    return this.option?.id ?? null;
  }
  get name(): string | null {
    return this.option?.name ?? null;
  }
  get color(): string {
    return this.option?.color ?? 'GRAY';
  }
  get description(): string | null {
    return this.option?.description ?? null;
  }
  get repository(): RepositoryNode {
    return new RepositoryNode(this.of.content.repo);
  }
}
/** Title, Repository, then every set value, in field order (as GitHub lists fieldValues). */
function valuesOf(item: ProjectItem): ProjectField[] {
  return item.project.fields.filter((f) => f.dataType === 'TITLE' || f.dataType === 'REPOSITORY' || item.values.has(f));
}

class ProjectItemNode {
  readonly __typename = 'ProjectV2Item';
  constructor(private readonly item: ProjectItem) {}
  get id(): string {
    return this.item.nodeId;
  }
  get type(): string {
    return 'ISSUE';
  }
  get isArchived(): boolean {
    return this.item.archived;
  }
  get createdAt(): string {
    return iso(this.item.createdAt);
  }
  get updatedAt(): string {
    return iso(this.item.updatedAt);
  }
  get creator(): ActorNode | null {
    return this.item.creator ? new ActorNode(this.item.creator, true) : null;
  }
  get project(): ProjectNode {
    return new ProjectNode(this.item.project);
  }
  get content(): IssueNode {
    return new IssueNode(this.item.content);
  }
  fieldValues(args: PageArgs) {
    return connection(valuesOf(this.item), args, 'fieldValues', (f) => valueNode(this.item, f));
  }
  /** The value of the field of that name (exact), null when the field has none or does not exist. */
  fieldValueByName({ name }: { name: string }) {
    const field = valuesOf(this.item).find((f) => f.name === name);
    return field ? valueNode(this.item, field) : null;
  }
}

function valueNode(item: ProjectItem, field: ProjectField): ProjectValueNode {
  return new ProjectValueNode(item, field);
}

/** Any node of the World as its GraphQL object (what `node(id:)` answers). */
function toNode(ref: NodeRef): unknown {
  switch (ref.kind) {
    case 'issue':
      return new IssueNode(ref.value);
    case 'comment':
      return new CommentNode(ref.value);
    case 'label':
      return new LabelNode(ref.value);
    case 'user':
      return new ActorNode(ref.value, true);
    case 'org':
      return new OrgNode(ref.value);
    case 'repo':
      return new RepositoryNode(ref.value);
    case 'reaction':
      return new ReactionNode(ref.value);
    case 'project':
      return new ProjectNode(ref.value);
    case 'projectField':
      return new ProjectFieldNode(ref.value);
    case 'projectItem':
      return new ProjectItemNode(ref.value);
  }
}

/** The owner login of a project node, its field or item; undefined for any other node. */
function projectOwnerOf(ref: NodeRef): string | undefined {
  if (ref.kind === 'project') return ref.value.owner.login;
  if (ref.kind === 'projectField' || ref.kind === 'projectItem') return ref.value.project.owner.login;
  return undefined;
}

type Kinds = { [R in NodeRef as R['kind']]: R['value'] };

/** The World object behind a node id of one of `kinds`; NOT_FOUND for an unknown id or another kind of node. */
function node<K extends keyof Kinds>(world: World, id: string, ...kinds: K[]): Kinds[K] {
  const ref = world.nodes.get(id);
  if (!ref || !(kinds as string[]).includes(ref.kind)) throw unresolvable(id);
  return ref.value as Kinds[K];
}

/** Labels by id, all of `repo` (GitHub does not resolve another repository's label on an issue). */
function labelsOf(world: World, repo: Repo, ids: readonly string[]): Label[] {
  return ids.map((id) => {
    const label = node(world, id, 'label');
    if (label.repo !== repo) throw unresolvable(id);
    return label;
  });
}

function issueByUrl(world: World, url: string): Issue {
  const m = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/issues\/(\d+)\/?$/.exec(url);
  const issue = m ? world.repo(`${m[1]}/${m[2]}`)?.issues[Number(m[3]) - 1] : undefined;
  if (!issue) throw gqlError('NOT_FOUND', `Could not resolve to an issue with the URL of '${url}'.`);
  return issue;
}

// ---------------------------------------------------------------- root: queries and mutations

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

interface Input {
  clientMutationId?: string | null;
}
interface UpdateIssueInput extends Input {
  id: string;
  title?: string | null;
  body?: string | null;
  state?: IssueStateArg | null;
  labelIds?: string[] | null;
  assigneeIds?: string[] | null;
}
interface CloseIssueInput extends Input {
  issueId: string;
  stateReason?: 'COMPLETED' | 'DUPLICATE' | 'NOT_PLANNED' | null;
  duplicateIssueId?: string | null;
}
interface SubjectInput extends Input {
  subjectId: string;
}
interface IdInput extends Input {
  id: string;
}
interface LabelsInput extends Input {
  labelableId: string;
  labelIds: string[];
}
interface AssigneesInput extends Input {
  assignableId: string;
  assigneeIds: string[];
}
interface CreateLabelInput extends Input {
  repositoryId: string;
  name: string;
  color: string;
  description?: string | null;
}
interface UpdateLabelInput extends Input {
  id: string;
  name?: string | null;
  color?: string | null;
  description?: string | null;
}

interface Info {
  fieldName: string;
}

const done = (input: Input) => ({ clientMutationId: input.clientMutationId ?? null });

class Root {
  viewer(_args: unknown, ctx: Ctx): ActorNode {
    return new ActorNode(ctx.viewer, false);
  }

  repository({ owner, name }: { owner: string; name: string }, ctx: Ctx): RepositoryNode {
    const repo = ctx.world.repo(`${owner}/${name}`);
    if (!repo) throw gqlError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
    return new RepositoryNode(repo);
  }

  organization({ login }: { login: string }, ctx: Ctx): OrgNode {
    const org = ctx.world.orgs.get(login.toLowerCase());
    if (!org) throw gqlError('NOT_FOUND', `Could not resolve to an Organization with the login of '${login}'.`);
    return new OrgNode(org, ctx.world);
  }

  user({ login }: { login: string }, ctx: Ctx): ActorNode {
    const user = ctx.world.users.get(login.toLowerCase());
    if (!user || user.type !== 'User') throw gqlError('NOT_FOUND', `Could not resolve to a User with the login of '${login}'.`);
    return new ActorNode(user, false);
  }

  node({ id }: { id: string }, ctx: Ctx): unknown {
    const ref = ctx.world.nodes.get(id);
    if (!ref) throw unresolvable(id);
    const owner = projectOwnerOf(ref);
    if (owner !== undefined && !ctx.world.mayUseProjects(ctx.viewer, owner)) throw projectForbidden(ctx);
    return toNode(ref);
  }

  /** An unknown id is a null entry with its own NOT_FOUND error at ['nodes', i] (graphql-js does that for an Error item). */
  nodes({ ids }: { ids: string[] }, ctx: Ctx): unknown[] {
    if (ids.length > MAX_NODE_IDS) {
      throw gqlError('ARGUMENT_LIMIT', `You may not provide more than ${MAX_NODE_IDS} node ids; you provided ${ids.length}.`);
    }
    return ids.map((id) => {
      const ref = ctx.world.nodes.get(id);
      if (!ref) return unresolvable(id);
      const owner = projectOwnerOf(ref);
      return owner !== undefined && !ctx.world.mayUseProjects(ctx.viewer, owner) ? projectForbidden(ctx) : toNode(ref);
    });
  }

  createIssue({ input }: { input: CreateIssueInput }, ctx: Ctx) {
    const { world } = ctx;
    // Resolve every id first so that nothing changes when one of them is bad.
    const repo = node(world, input.repositoryId, 'repo');
    const labels = labelsOf(world, repo, input.labelIds ?? []);
    const assignees = (input.assigneeIds ?? []).map((id) => node(world, id, 'user'));
    const parent = input.parentIssueId ? node(world, input.parentIssueId, 'issue') : undefined;
    const issue = translate(() =>
      world.createIssue(ctx.viewer, repo, { title: input.title, body: input.body ?? '', labels, assignees, parent }),
    );
    return { ...done(input), issue: new IssueNode(issue) };
  }

  addSubIssue({ input }: { input: AddSubIssueInput }, ctx: Ctx) {
    const { world } = ctx;
    const parent = node(world, input.issueId, 'issue');
    let sub: Issue;
    if (input.subIssueId) sub = node(world, input.subIssueId, 'issue');
    else if (input.subIssueUrl) sub = issueByUrl(world, input.subIssueUrl);
    else throw gqlError('UNPROCESSABLE', 'Either subIssueId or subIssueUrl is required.');
    translate(() => world.addSubIssue(ctx.viewer, parent, sub, input.replaceParent === true));
    return { ...done(input), issue: new IssueNode(parent), subIssue: new IssueNode(sub) };
  }

  /** title, body and state as PATCH /issues/{n}; labelIds and assigneeIds replace the issue's labels and assignees. */
  updateIssue({ input }: { input: UpdateIssueInput }, ctx: Ctx, info: Info) {
    const { world, viewer } = ctx;
    const issue = node(world, input.id, 'issue');
    const labels = input.labelIds ? labelsOf(world, issue.repo, input.labelIds) : undefined;
    const assignees = input.assigneeIds?.map((id) => node(world, id, 'user'));
    const own = issue.author === viewer;
    if (input.title != null || input.body != null) allow(ctx, issue.repo, 'write', info.fieldName, own);
    if (input.state != null) allow(ctx, issue.repo, 'triage', info.fieldName, own);
    if (labels || assignees) allow(ctx, issue.repo, 'triage', info.fieldName);
    const patch: IssuePatch = {};
    if (input.title != null) patch.title = input.title;
    if (input.body != null) patch.body = input.body;
    if (input.state != null) patch.state = input.state === 'OPEN' ? 'open' : 'closed';
    if (labels) patch.labels = labels.map((l) => l.name);
    if (assignees) patch.assignees = assignees;
    translate(() => world.updateIssue(viewer, issue, patch));
    return { ...done(input), actor: new ActorNode(viewer, true), issue: new IssueNode(issue) };
  }

  /** On a closed issue only a new state reason changes anything. */
  closeIssue({ input }: { input: CloseIssueInput }, ctx: Ctx, info: Info) {
    const { world, viewer } = ctx;
    const issue = node(world, input.issueId, 'issue');
    const duplicateOf = input.duplicateIssueId ? node(world, input.duplicateIssueId, 'issue') : undefined;
    allow(ctx, issue.repo, 'triage', info.fieldName, issue.author === viewer);
    if (duplicateOf === issue) throw gqlError('UNPROCESSABLE', 'An issue cannot be closed as a duplicate of itself.');
    const reason: StateReason | undefined = input.stateReason
      ? (input.stateReason.toLowerCase() as StateReason)
      : duplicateOf
        ? 'duplicate'
        : undefined;
    translate(() => world.updateIssue(viewer, issue, { state: 'closed', stateReason: reason, duplicateOf }));
    return { ...done(input), issue: new IssueNode(issue) };
  }

  reopenIssue({ input }: { input: Input & { issueId: string } }, ctx: Ctx, info: Info) {
    const issue = node(ctx.world, input.issueId, 'issue');
    allow(ctx, issue.repo, 'triage', info.fieldName, issue.author === ctx.viewer);
    translate(() => ctx.world.updateIssue(ctx.viewer, issue, { state: 'open' }));
    return { ...done(input), issue: new IssueNode(issue) };
  }

  addComment({ input }: { input: SubjectInput & { body: string } }, ctx: Ctx, info: Info) {
    const issue = node(ctx.world, input.subjectId, 'issue');
    allow(ctx, issue.repo, 'read', info.fieldName);
    const comment = translate(() => ctx.world.createComment(ctx.viewer, issue, input.body));
    const index = issue.comments.indexOf(comment);
    return {
      ...done(input),
      commentEdge: { cursor: encodeCursor(index), node: new CommentNode(comment) },
      subject: new IssueNode(issue),
    };
  }

  updateIssueComment({ input }: { input: IdInput & { body: string } }, ctx: Ctx, info: Info) {
    const comment = node(ctx.world, input.id, 'comment');
    allow(ctx, comment.issue.repo, 'write', info.fieldName, comment.author === ctx.viewer);
    translate(() => ctx.world.updateComment(ctx.viewer, comment, input.body));
    return { ...done(input), issueComment: new CommentNode(comment) };
  }

  deleteIssueComment({ input }: { input: IdInput }, ctx: Ctx, info: Info) {
    const comment = node(ctx.world, input.id, 'comment');
    allow(ctx, comment.issue.repo, 'write', info.fieldName, comment.author === ctx.viewer);
    translate(() => ctx.world.deleteComment(ctx.viewer, comment));
    return done(input);
  }

  addLabelsToLabelable({ input }: { input: LabelsInput }, ctx: Ctx, info: Info) {
    const issue = node(ctx.world, input.labelableId, 'issue');
    const labels = labelsOf(ctx.world, issue.repo, input.labelIds);
    allow(ctx, issue.repo, 'triage', info.fieldName);
    translate(() => ctx.world.addLabels(ctx.viewer, issue, labels.map((l) => l.name)));
    return { ...done(input), labelable: new IssueNode(issue) };
  }

  removeLabelsFromLabelable({ input }: { input: LabelsInput }, ctx: Ctx, info: Info) {
    const issue = node(ctx.world, input.labelableId, 'issue');
    const labels = labelsOf(ctx.world, issue.repo, input.labelIds);
    allow(ctx, issue.repo, 'triage', info.fieldName);
    translate(() => ctx.world.removeLabels(ctx.viewer, issue, labels));
    return { ...done(input), labelable: new IssueNode(issue) };
  }

  addAssigneesToAssignable({ input }: { input: AssigneesInput }, ctx: Ctx, info: Info) {
    const issue = node(ctx.world, input.assignableId, 'issue');
    const users = input.assigneeIds.map((id) => node(ctx.world, id, 'user'));
    allow(ctx, issue.repo, 'triage', info.fieldName);
    translate(() => ctx.world.addAssignees(ctx.viewer, issue, users));
    return { ...done(input), assignable: new IssueNode(issue) };
  }

  removeAssigneesFromAssignable({ input }: { input: AssigneesInput }, ctx: Ctx, info: Info) {
    const issue = node(ctx.world, input.assignableId, 'issue');
    const users = input.assigneeIds.map((id) => node(ctx.world, id, 'user'));
    allow(ctx, issue.repo, 'triage', info.fieldName);
    translate(() => ctx.world.removeAssignees(ctx.viewer, issue, users));
    return { ...done(input), assignable: new IssueNode(issue) };
  }

  createLabel({ input }: { input: CreateLabelInput }, ctx: Ctx, info: Info) {
    const repo = node(ctx.world, input.repositoryId, 'repo');
    allow(ctx, repo, 'write', info.fieldName);
    const label = translate(() => ctx.world.createLabel(ctx.viewer, repo, input.name, input.color, input.description ?? null));
    return { ...done(input), label: new LabelNode(label) };
  }

  updateLabel({ input }: { input: UpdateLabelInput }, ctx: Ctx, info: Info) {
    const label = node(ctx.world, input.id, 'label');
    allow(ctx, label.repo, 'write', info.fieldName);
    translate(() =>
      ctx.world.updateLabel(ctx.viewer, label, {
        newName: input.name ?? undefined,
        color: input.color ?? undefined,
        description: input.description === undefined ? undefined : input.description,
      }),
    );
    return { ...done(input), label: new LabelNode(label) };
  }

  deleteLabel({ input }: { input: IdInput }, ctx: Ctx, info: Info) {
    const label = node(ctx.world, input.id, 'label');
    allow(ctx, label.repo, 'write', info.fieldName);
    translate(() => ctx.world.deleteLabel(ctx.viewer, label));
    return done(input);
  }

  minimizeComment({ input }: { input: SubjectInput & { classifier: MinimizeClassifier } }, ctx: Ctx, info: Info) {
    const comment = node(ctx.world, input.subjectId, 'comment');
    allow(ctx, comment.issue.repo, 'write', info.fieldName);
    ctx.world.minimizeComment(ctx.viewer, comment, input.classifier);
    return { ...done(input), minimizedComment: new CommentNode(comment) };
  }

  unminimizeComment({ input }: { input: SubjectInput }, ctx: Ctx, info: Info) {
    const comment = node(ctx.world, input.subjectId, 'comment');
    allow(ctx, comment.issue.repo, 'write', info.fieldName);
    ctx.world.unminimizeComment(ctx.viewer, comment);
    return { ...done(input), unminimizedComment: new CommentNode(comment) };
  }

  /** Adding a reaction the viewer already gave changes nothing and answers the existing one. */
  addReaction({ input }: { input: SubjectInput & { content: string } }, ctx: Ctx, info: Info) {
    const subject = node(ctx.world, input.subjectId, 'issue', 'comment');
    allow(ctx, repoOf(subject), 'read', info.fieldName);
    const { reaction } = ctx.world.addReaction(ctx.viewer, subject, TO_REST.get(input.content) as ReactionContent);
    return { ...done(input), reaction: new ReactionNode(reaction), reactionGroups: reactionGroups(subject), subject: subjectNode(subject) };
  }

  removeReaction({ input }: { input: SubjectInput & { content: string } }, ctx: Ctx, info: Info) {
    const subject = node(ctx.world, input.subjectId, 'issue', 'comment');
    allow(ctx, repoOf(subject), 'read', info.fieldName);
    const removed = ctx.world.removeReaction(ctx.viewer, subject, TO_REST.get(input.content) as ReactionContent);
    return {
      ...done(input),
      reaction: removed ? new ReactionNode(removed) : null,
      reactionGroups: reactionGroups(subject),
      subject: subjectNode(subject),
    };
  }

  // ---------------------------------------------------------------- Projects (v2)

  /** Idempotent: an issue already on the project answers its existing item. */
  addProjectV2ItemById({ input }: { input: Input & { projectId: string; contentId: string } }, ctx: Ctx) {
    const project = node(ctx.world, input.projectId, 'project');
    allowProjects(ctx, project.owner.login);
    const issue = node(ctx.world, input.contentId, 'issue');
    const { item } = ctx.world.addProjectItem(ctx.viewer, project, issue);
    return { ...done(input), item: new ProjectItemNode(item) };
  }

  updateProjectV2ItemFieldValue(
    { input }: { input: Input & { projectId: string; itemId: string; fieldId: string; value: Record<string, unknown> } },
    ctx: Ctx,
  ) {
    const { item, field } = itemAndField(ctx, input);
    translate(() => ctx.world.setProjectItemValue(ctx.viewer, item, field, input.value));
    return { ...done(input), projectV2Item: new ProjectItemNode(item) };
  }

  clearProjectV2ItemFieldValue({ input }: { input: Input & { projectId: string; itemId: string; fieldId: string } }, ctx: Ctx) {
    const { item, field } = itemAndField(ctx, input);
    translate(() => ctx.world.clearProjectItemValue(item, field));
    return { ...done(input), projectV2Item: new ProjectItemNode(item) };
  }

  deleteProjectV2Item({ input }: { input: Input & { projectId: string; itemId: string } }, ctx: Ctx) {
    const project = node(ctx.world, input.projectId, 'project');
    allowProjects(ctx, project.owner.login);
    const item = node(ctx.world, input.itemId, 'projectItem');
    if (item.project !== project) throw unresolvable(input.itemId);
    ctx.world.deleteProjectItem(item);
    return { ...done(input), deletedItemId: item.nodeId };
  }

  createProjectV2Field(
    {
      input,
    }: {
      input: Input & {
        projectId: string;
        dataType: ProjectFieldType;
        name: string;
        singleSelectOptions?: Array<{ name: string; color: ProjectOptionColor; description: string }> | null;
      };
    },
    ctx: Ctx,
  ) {
    const project = node(ctx.world, input.projectId, 'project');
    allowProjects(ctx, project.owner.login);
    const field = translate(() => ctx.world.createProjectField(project, input.name, input.dataType, input.singleSelectOptions ?? undefined));
    return { ...done(input), projectV2Field: new ProjectFieldNode(field) };
  }

  /** singleSelectOptions replaces the whole list (new ids; the items lose their value for the field). */
  updateProjectV2Field(
    {
      input,
    }: {
      input: Input & {
        fieldId: string;
        name?: string | null;
        singleSelectOptions?: Array<{ name: string; color: ProjectOptionColor; description: string }> | null;
      };
    },
    ctx: Ctx,
  ) {
    const field = node(ctx.world, input.fieldId, 'projectField');
    allowProjects(ctx, field.project.owner.login);
    translate(() =>
      ctx.world.updateProjectField(field, { name: input.name ?? undefined, options: input.singleSelectOptions ?? undefined }),
    );
    return { ...done(input), projectV2Field: new ProjectFieldNode(field) };
  }
}

/** The project (access checked), its item and its field for the item-value mutations. */
function itemAndField(ctx: Ctx, input: { projectId: string; itemId: string; fieldId: string }) {
  const project = node(ctx.world, input.projectId, 'project');
  allowProjects(ctx, project.owner.login);
  const item = node(ctx.world, input.itemId, 'projectItem');
  if (item.project !== project) throw unresolvable(input.itemId);
  const field = node(ctx.world, input.fieldId, 'projectField');
  if (field.project !== project) throw unresolvable(input.fieldId);
  return { project, item, field };
}
