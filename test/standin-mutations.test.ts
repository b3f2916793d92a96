// The GitHub stand-in's GraphQL mutations, node lookups and per-field faults: one mutation document per decision,
// run as GitHub runs it (top-level fields in order; a failed field is null with an error at its path, earlier fields
// stay applied, later ones still run), with the same state changes and webhook deliveries as the REST routes.
import { schema as github } from '@octokit/graphql-schema';
import { Octokit } from '@octokit/rest';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  validate,
  validateSchema,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema as standIn } from './support/github-standin/graphql.js';
import { startGitHubStandIn, type GitHubStandIn, type StandInEvent } from './support/github-standin/index.js';

const REPO = 'acme/tickets';
const BOT = 'engagement-bot[bot]';
const T0 = new Date('2026-11-25T10:00:00Z');
const GITHUB = buildSchema(github.idl, { assumeValidSDL: true });
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

// ---------------------------------------------------------------- schema: a true subset of GitHub's

function kindOf(t: GraphQLNamedType): string {
  if (isObjectType(t)) return 'type';
  if (isInterfaceType(t)) return 'interface';
  if (isUnionType(t)) return 'union';
  if (isEnumType(t)) return 'enum';
  if (isInputObjectType(t)) return 'input';
  return 'scalar';
}

/**
 * Everything in `mine` that a document could use and GitHub's schema lacks or types differently: types (and their
 * kind), fields, arguments, implemented interfaces, union members, enum values, input fields; and arguments or
 * input fields GitHub requires that `mine` leaves out. Empty: a document valid here is valid on GitHub.
 */
function subsetProblems(mine: GraphQLSchema, theirs: GraphQLSchema): string[] {
  const out: string[] = [];
  for (const [name, t] of Object.entries(mine.getTypeMap())) {
    if (name.startsWith('__')) continue;
    const g = theirs.getType(name);
    if (!g) {
      out.push(`${name}: not in GitHub's schema`);
      continue;
    }
    if (kindOf(g) !== kindOf(t)) {
      out.push(`${name}: ${kindOf(t)} here, ${kindOf(g)} on GitHub`);
      continue;
    }
    if ((isObjectType(t) || isInterfaceType(t)) && (isObjectType(g) || isInterfaceType(g))) {
      const theirInterfaces = new Set(g.getInterfaces().map((i) => i.name));
      for (const i of t.getInterfaces()) if (!theirInterfaces.has(i.name)) out.push(`${name} implements ${i.name}: GitHub's does not`);
      const theirFields = g.getFields();
      for (const [fieldName, f] of Object.entries(t.getFields())) {
        const gf = theirFields[fieldName];
        if (!gf) {
          out.push(`${name}.${fieldName}: not on GitHub`);
          continue;
        }
        if (String(f.type) !== String(gf.type)) out.push(`${name}.${fieldName}: ${String(f.type)} here, ${String(gf.type)} on GitHub`);
        for (const a of f.args) {
          const ga = gf.args.find((x) => x.name === a.name);
          if (!ga) out.push(`${name}.${fieldName}(${a.name}): not on GitHub`);
          else if (String(a.type) !== String(ga.type)) out.push(`${name}.${fieldName}(${a.name}): ${String(a.type)} here, ${String(ga.type)} on GitHub`);
        }
        for (const ga of gf.args) {
          if (isNonNullType(ga.type) && ga.defaultValue === undefined && !f.args.some((a) => a.name === ga.name)) {
            out.push(`${name}.${fieldName}(${ga.name}): required on GitHub, missing here`);
          }
        }
      }
    } else if (isUnionType(t) && isUnionType(g)) {
      const members = new Set(g.getTypes().map((x) => x.name));
      for (const m of t.getTypes()) if (!members.has(m.name)) out.push(`${name} | ${m.name}: not on GitHub`);
    } else if (isEnumType(t) && isEnumType(g)) {
      const values = new Set(g.getValues().map((v) => v.name));
      for (const v of t.getValues()) if (!values.has(v.name)) out.push(`${name}.${v.name}: not on GitHub`);
    } else if (isInputObjectType(t) && isInputObjectType(g)) {
      const theirFields = g.getFields();
      const myFields = t.getFields();
      for (const [fieldName, f] of Object.entries(myFields)) {
        const gf = theirFields[fieldName];
        if (!gf) out.push(`${name}.${fieldName}: not on GitHub`);
        else if (String(f.type) !== String(gf.type)) out.push(`${name}.${fieldName}: ${String(f.type)} here, ${String(gf.type)} on GitHub`);
      }
      for (const [fieldName, gf] of Object.entries(theirFields)) {
        if (isNonNullType(gf.type) && gf.defaultValue === undefined && !myFields[fieldName]) out.push(`${name}.${fieldName}: required on GitHub, missing here`);
      }
    } else if (!isScalarType(t)) out.push(`${name}: unexpected kind`);
  }
  return out;
}

describe("the stand-in's schema", () => {
  it("is a valid schema and a true subset of GitHub's published one", () => {
    expect(validateSchema(standIn).map((e) => e.message)).toEqual([]);
    expect(subsetProblems(standIn, GITHUB)).toEqual([]);
  });

  it('catches a field, an argument, a nullability and an enum value GitHub does not have', () => {
    const broken = buildSchema(`
      enum IssueState { OPEN CLOSED ARCHIVED }
      type Label { id: ID! name: String }
      type Issue { id: ID! number: Int! bogus: Int labels(first: Int, matching: String): LabelConnection }
      type LabelConnection { totalCount: Int! }
      type RepositoryOwner { login: String! }
      input AddCommentInput { body: String! }
      type Query { viewer: Issue }
    `);
    expect(subsetProblems(broken, GITHUB).sort()).toEqual(
      [
        'AddCommentInput.subjectId: required on GitHub, missing here',
        'Issue.bogus: not on GitHub',
        'Issue.labels(matching): not on GitHub',
        'IssueState.ARCHIVED: not on GitHub',
        'Label.name: String here, String! on GitHub',
        'Query.viewer: Issue here, User! on GitHub',
        'RepositoryOwner: type here, interface on GitHub',
      ].sort(),
    );
  });
});

// ---------------------------------------------------------------- a world per test

let gh: GitHubStandIn;
let clock: Date;
let botToken: string;
let bot: Octokit;

function tick(minutes = 1): Date {
  clock = new Date(clock.getTime() + minutes * 60_000);
  return clock;
}

async function setup(): Promise<GitHubStandIn> {
  const standIn = await startGitHubStandIn({ now: () => clock });
  standIn.addUser(BOT, { type: 'Bot' });
  standIn.addUser('alice');
  standIn.addUser('bob');
  standIn.addRepo(REPO);
  standIn.addCollaborator(REPO, 'alice', 'maintain');
  standIn.addLabelDefinition(REPO, 'Bug', 'd73a4a', "Something isn't working");
  standIn.addLabelDefinition(REPO, 'engagement', 'ededed');
  standIn.addLabelDefinition(REPO, 'state: open', 'ededed', 'open engagements');
  return standIn;
}

beforeEach(async () => {
  clock = T0;
  gh = await setup();
  botToken = gh.tokenFor(BOT);
  bot = new Octokit({ auth: botToken, baseUrl: gh.url, log: quiet });
});

afterEach(async () => {
  await gh.close();
});

interface GqlError {
  type?: string;
  path?: Array<string | number>;
  message: string;
}
interface GqlAnswer<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GqlError[];
}

/** POST /graphql as `login` (default the bot); the whole answer: HTTP status, data and errors. */
async function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, login = BOT, standIn = gh): Promise<GqlAnswer<T>> {
  const res = await fetch(`${standIn.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `bearer ${standIn.tokenFor(login)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T | null; errors?: GqlError[] };
  return { status: res.status, ...body };
}

const names = (events: StandInEvent[]) => events.map((e) => `${e.name}.${e.action}${'label' in e.payload ? `:${(e.payload.label as { name: string }).name}` : ''}`);

function seed(title = 't', author = 'alice'): { number: number; id: string } {
  const number = gh.seedIssue(REPO, { title, body: 'b', author });
  return { number, id: gh.issue(REPO, number).nodeId };
}

// ---------------------------------------------------------------- documents of many fields

describe('a mutation document of several fields', () => {
  it('applies its fields in document order, as one logged write, with events in that order', async () => {
    const issue = seed();
    gh.resetLog();
    tick(3);
    const doc = `mutation Decide($issue: ID!, $bug: ID!, $eng: ID!, $alice: ID!) {
      l0: addLabelsToLabelable(input: {labelableId: $issue, labelIds: [$bug]}) { labelable { ... on Issue { number labels(first: 10) { nodes { name } } } } }
      c0: addComment(input: {subjectId: $issue, body: "first"}) { commentEdge { node { id databaseId url body } } subject { id ... on Issue { number } } }
      a0: addAssigneesToAssignable(input: {assignableId: $issue, assigneeIds: [$alice]}) { assignable { ... on Issue { assignees(first: 5) { nodes { login } } } } }
      c1: addComment(input: {subjectId: $issue, body: "second"}) { commentEdge { cursor node { body } } }
      l1: removeLabelsFromLabelable(input: {labelableId: $issue, labelIds: [$eng]}) { clientMutationId }
      l2: addLabelsToLabelable(input: {labelableId: $issue, labelIds: [$eng], clientMutationId: "x"}) { clientMutationId }
      close: closeIssue(input: {issueId: $issue, stateReason: NOT_PLANNED}) { issue { state stateReason closed } }
    }`;
    const vars = { issue: issue.id, bug: gh.labelNodeId(REPO, 'bug'), eng: gh.labelNodeId(REPO, 'engagement'), alice: gh.userNodeId('alice') };
    const answer = await gql<Record<string, Record<string, unknown>>>(doc, vars);
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    const view = gh.issue(REPO, issue.number);
    expect(answer.data).toEqual({
      l0: { labelable: { number: issue.number, labels: { nodes: [{ name: 'Bug' }] } } },
      c0: {
        commentEdge: {
          node: {
            id: view.comments[0]?.nodeId,
            databaseId: view.comments[0]?.id,
            url: `https://github.com/acme/tickets/issues/${issue.number}#issuecomment-${view.comments[0]?.id}`,
            body: 'first',
          },
        },
        subject: { id: issue.id, number: issue.number },
      },
      a0: { assignable: { assignees: { nodes: [{ login: 'alice' }] } } },
      c1: { commentEdge: { cursor: expect.any(String), node: { body: 'second' } } },
      l1: { clientMutationId: null },
      l2: { clientMutationId: 'x' },
      close: { issue: { state: 'CLOSED', stateReason: 'NOT_PLANNED', closed: true } },
    });
    expect(view).toMatchObject({ labels: ['Bug', 'engagement'], assignees: ['alice'], state: 'closed', stateReason: 'not_planned', updatedAt: clock });
    expect(view.comments.map((c) => c.body)).toEqual(['first', 'second']);
    expect(names(gh.takeEvents())).toEqual([
      'issues.labeled:Bug',
      'issue_comment.created',
      'issues.assigned',
      'issue_comment.created',
      'issues.labeled:engagement',
      'issues.closed',
    ]);
    expect(gh.requests).toHaveLength(1);
    expect(gh.writes()).toHaveLength(1);
    expect(gh.requests[0]).toMatchObject({
      method: 'POST',
      path: '/graphql',
      status: 200,
      write: true,
      actor: BOT,
      graphql: {
        operation: 'mutation',
        name: 'Decide',
        fields: ['addLabelsToLabelable', 'addComment', 'addAssigneesToAssignable', 'removeLabelsFromLabelable', 'closeIssue'],
        keys: ['l0', 'c0', 'a0', 'c1', 'l1', 'l2', 'close'],
      },
    });
  });

  it('runs many aliases of the same mutation, each once, in order (also through octokit.graphql)', async () => {
    const issue = seed();
    const bodies = Array.from({ length: 12 }, (_, i) => `comment ${i}`);
    const doc = `mutation($s: ID!) { ${bodies.map((b, i) => `c${i}: addComment(input: {subjectId: $s, body: ${JSON.stringify(b)}}) { commentEdge { node { body } } }`).join('\n')} }`;
    const result = await bot.graphql<Record<string, { commentEdge: { node: { body: string } } }>>(doc, { s: issue.id });
    expect(Object.keys(result)).toEqual(bodies.map((_, i) => `c${i}`));
    expect(Object.values(result).map((r) => r.commentEdge.node.body)).toEqual(bodies);
    expect(gh.issue(REPO, issue.number).comments.map((c) => c.body)).toEqual(bodies);
    expect(gh.takeEvents()).toHaveLength(12);
    expect(gh.requests.at(-1)?.graphql).toMatchObject({ fields: ['addComment'], keys: bodies.map((_, i) => `c${i}`) });
  });

  it('a failing middle field: earlier fields stay applied, it is null with an error at its alias, later fields still run', async () => {
    const issue = seed();
    const doc = `mutation($s: ID!, $bug: ID!) {
      c0: addComment(input: {subjectId: $s, body: "before"}) { commentEdge { node { body } } }
      l0: addLabelsToLabelable(input: {labelableId: "I_gone", labelIds: [$bug]}) { clientMutationId }
      c1: addComment(input: {subjectId: $s, body: "${'x'.repeat(65537)}"}) { commentEdge { node { body } } }
      l1: addLabelsToLabelable(input: {labelableId: $s, labelIds: [$bug]}) { labelable { ... on Issue { number } } }
    }`;
    const answer = await gql(doc, { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') });
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({
      c0: { commentEdge: { node: { body: 'before' } } },
      l0: null,
      c1: null,
      l1: { labelable: { number: issue.number } },
    });
    expect(answer.errors).toEqual([
      expect.objectContaining({ type: 'NOT_FOUND', path: ['l0'], message: "Could not resolve to a node with the global id of 'I_gone'" }),
      expect.objectContaining({ type: 'UNPROCESSABLE', path: ['c1'], message: 'Body is too long (maximum is 65536 characters)' }),
    ]);
    expect(gh.issue(REPO, issue.number)).toMatchObject({ labels: ['Bug'], comments: [expect.objectContaining({ body: 'before' })] });
    expect(names(gh.takeEvents())).toEqual(['issue_comment.created', 'issues.labeled:Bug']);
  });

  it('answers FORBIDDEN for a field the viewer may not run, and runs the others', async () => {
    const issue = seed('t', 'alice');
    const doc = `mutation($s: ID!, $bug: ID!) {
      c: addComment(input: {subjectId: $s, body: "a comment anyone may write"}) { clientMutationId }
      l: addLabelsToLabelable(input: {labelableId: $s, labelIds: [$bug]}) { clientMutationId }
      r: addReaction(input: {subjectId: $s, content: EYES}) { reaction { content } }
      x: closeIssue(input: {issueId: $s}) { clientMutationId }
    }`;
    const vars = { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') };
    const bob = await gql(doc, vars, 'bob');
    expect(bob.data).toEqual({ c: { clientMutationId: null }, l: null, r: { reaction: { content: 'EYES' } }, x: null });
    expect(bob.errors).toEqual([
      expect.objectContaining({ type: 'FORBIDDEN', path: ['l'], message: 'bob does not have the correct permissions to execute `AddLabelsToLabelable`' }),
      expect.objectContaining({ type: 'FORBIDDEN', path: ['x'], message: 'bob does not have the correct permissions to execute `CloseIssue`' }),
    ]);
    expect(gh.issue(REPO, issue.number)).toMatchObject({ labels: [], state: 'open', reactions: [{ content: 'eyes', user: 'bob' }] });

    // The author may close their own issue; a triager may label and close anyone's.
    const own = seed('own', 'bob');
    expect((await gql(`mutation($s: ID!) { closeIssue(input: {issueId: $s}) { issue { state } } }`, { s: own.id }, 'bob')).data).toEqual({
      closeIssue: { issue: { state: 'CLOSED' } },
    });
    gh.addCollaborator(REPO, 'bob', 'triage');
    const triager = await gql(doc, vars, 'bob');
    expect(triager.errors).toBeUndefined();
    expect(gh.issue(REPO, issue.number)).toMatchObject({ labels: ['Bug'], state: 'closed' });

    // A bot whose token may only read: GitHub's integration wording.
    gh.addCollaborator(REPO, BOT, 'read');
    const readOnly = await gql(doc, vars);
    expect(readOnly.errors?.map((e) => [e.type, e.path, e.message])).toEqual(
      ['c', 'l', 'r', 'x'].map((key) => ['FORBIDDEN', [key], 'Resource not accessible by integration']),
    );
  });

  it('rejects the whole document before running any field when a connection lacks first/last', async () => {
    const issue = seed();
    const answer = await gql(
      `mutation($s: ID!, $bug: ID!) {
        c: addComment(input: {subjectId: $s, body: "never"}) { clientMutationId }
        l: addLabelsToLabelable(input: {labelableId: $s, labelIds: [$bug]}) { labelable { labels { nodes { name } } } }
      }`,
      { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') },
    );
    expect(answer.status).toBe(200);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toEqual([expect.objectContaining({ type: 'MISSING_PAGINATION_BOUNDARIES' })]);
    expect(gh.issue(REPO, issue.number)).toMatchObject({ comments: [], labels: [] });
    expect(gh.events).toEqual([]);
    const tooMany = await gql(`query($s: ID!) { node(id: $s) { ... on Issue { comments(first: 101) { totalCount } } } }`, { s: issue.id });
    expect(tooMany.errors?.[0]).toMatchObject({ type: 'EXCESSIVE_PAGINATION' });
  });
});

// ---------------------------------------------------------------- per-field faults

describe('field faults (kind graphql-error)', () => {
  const doc = `mutation($s: ID!, $bug: ID!) {
    first: addComment(input: {subjectId: $s, body: "one"}) { clientMutationId }
    second: addLabelsToLabelable(input: {labelableId: $s, labelIds: [$bug]}) { clientMutationId }
    third: addComment(input: {subjectId: $s, body: "three"}) { clientMutationId }
  }`;
  const keys = ['first', 'second', 'third'];

  it.each([1, 2, 3])('fails field %i of the next mutation document with an INTERNAL error, the others applied', async (nth) => {
    const issue = seed();
    gh.fault({ kind: 'graphql-error', graphql: 'mutation', nth });
    // A query does not consume the rule.
    expect((await gql('{ viewer { login } }')).errors).toBeUndefined();
    gh.resetLog();
    const answer = await gql(doc, { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') });
    expect(answer.status).toBe(200);
    const failed = keys[nth - 1] as string;
    expect(answer.data).toEqual(Object.fromEntries(keys.map((k) => [k, k === failed ? null : { clientMutationId: null }])));
    expect(answer.errors).toEqual([
      expect.objectContaining({ type: 'INTERNAL', path: [failed], message: expect.stringMatching(/^Something went wrong while executing your query/) }),
    ]);
    const view = gh.issue(REPO, issue.number);
    expect(view.comments.map((c) => c.body)).toEqual(['one', 'three'].filter((_, i) => !(nth === 1 && i === 0) && !(nth === 3 && i === 1)));
    expect(view.labels).toEqual(nth === 2 ? [] : ['Bug']);
    expect(gh.requests).toEqual([expect.objectContaining({ status: 200, write: true })]);
    // times defaults to 1: the same document now runs whole.
    const again = await gql(doc, { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') });
    expect(again.errors).toBeUndefined();
  });

  it('matches a field by name, not alias, across documents, with skip, times, a type and a message', async () => {
    const issue = seed();
    gh.fault({ kind: 'graphql-error', field: 'addComment', skip: 1, times: 2, type: 'FORBIDDEN', message: 'nope' });
    const answer = await gql(doc, { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') });
    expect(answer.data).toEqual({ first: { clientMutationId: null }, second: { clientMutationId: null }, third: null });
    expect(answer.errors).toEqual([expect.objectContaining({ type: 'FORBIDDEN', path: ['third'], message: 'nope' })]);
    const next = await gql(doc, { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') });
    expect(next.data).toMatchObject({ first: null, second: { clientMutationId: null }, third: { clientMutationId: null } });
    const after = await gql(doc, { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') });
    expect(after.errors).toBeUndefined();
    expect(gh.issue(REPO, issue.number).comments.map((c) => c.body)).toEqual(['one', 'three', 'one', 'three']);
  });

  it('afterApplying: the change is made although the field answers null and an error; type null leaves out the type', async () => {
    const issue = seed();
    gh.fault({ kind: 'graphql-error', field: 'addLabelsToLabelable', afterApplying: true, type: null });
    const answer = await gql(doc, { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') });
    expect(answer.data).toMatchObject({ second: null });
    expect(answer.errors?.[0]).toEqual({ path: ['second'], locations: expect.any(Array), message: expect.any(String) });
    expect(gh.issue(REPO, issue.number).labels).toEqual(['Bug']);
    expect(names(gh.takeEvents())).toEqual(['issue_comment.created', 'issues.labeled:Bug', 'issue_comment.created']);
  });

  it('an HTTP fault with appliedFields: the first fields ran and stay applied, the client sees no answer', async () => {
    const issue = seed();
    gh.fault({ kind: 'reset', graphql: 'mutation', appliedFields: 2 });
    await expect(gql(doc, { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') })).rejects.toThrow();
    expect(gh.issue(REPO, issue.number)).toMatchObject({ labels: ['Bug'], comments: [expect.objectContaining({ body: 'one' })] });
    expect(gh.requests.at(-1)).toMatchObject({ status: 0, write: true });

    gh.fault({ kind: 'status', status: 502, graphql: 'mutation', appliedFields: 1 });
    const answer = await gql(doc, { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') });
    expect(answer.status).toBe(502);
    expect(gh.issue(REPO, issue.number).comments.map((c) => c.body)).toEqual(['one', 'one']);
    // Without appliedFields nothing runs (the existing behaviour).
    gh.fault({ kind: 'status', status: 500, graphql: 'mutation' });
    expect((await gql(doc, { s: issue.id, bug: gh.labelNodeId(REPO, 'Bug') })).status).toBe(500);
    expect(gh.issue(REPO, issue.number).comments).toHaveLength(2);
  });

  it('refuses rules that mix request-level and field-level settings', () => {
    expect(() => gh.fault({ kind: 'status', field: 'addComment' })).toThrow(/only apply to kind 'graphql-error'/);
    expect(() => gh.fault({ kind: 'graphql-error', status: 500 })).toThrow(/do not apply/);
    expect(() => gh.fault({ kind: 'graphql-error', nth: 0 })).toThrow(/1-based/);
    expect(() => gh.fault({ kind: 'secondary-rate-limit', appliedFields: 1 })).toThrow(/appliedFields/);
  });
});

// ---------------------------------------------------------------- node lookups

describe('node and nodes', () => {
  it('resolves every kind of node id, typed, and answers null + NOT_FOUND at [nodes, i] for an unknown one', async () => {
    const issue = seed();
    const commentId = gh.seedComment(REPO, issue.number, { author: 'alice', body: 'hi' });
    const comment = gh.issue(REPO, issue.number).comments.find((c) => c.id === commentId);
    const ids = [issue.id, 'MDQ6nope', comment?.nodeId, gh.labelNodeId(REPO, 'bug'), gh.userNodeId('alice'), gh.userNodeId(BOT), gh.repoNodeId(REPO)];
    const answer = await gql<{ nodes: Array<Record<string, unknown> | null> }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) {
        __typename id
        ... on Issue { number labels(first: 5) { nodes { id name } } }
        ... on IssueComment { body isMinimized issue { number } }
        ... on Label { name }
        ... on Actor { login }
        ... on Repository { nameWithOwner owner { __typename login } }
      } }`,
      { ids },
    );
    expect(answer.status).toBe(200);
    expect(answer.data?.nodes).toEqual([
      { __typename: 'Issue', id: issue.id, number: issue.number, labels: { nodes: [] } },
      null,
      { __typename: 'IssueComment', id: comment?.nodeId, body: 'hi', isMinimized: false, issue: { number: issue.number } },
      { __typename: 'Label', id: gh.labelNodeId(REPO, 'Bug'), name: 'Bug' },
      { __typename: 'User', id: gh.userNodeId('alice'), login: 'alice' },
      { __typename: 'Bot', id: gh.userNodeId(BOT), login: 'engagement-bot' },
      { __typename: 'Repository', id: gh.repoNodeId(REPO), nameWithOwner: REPO, owner: { __typename: 'Organization', login: 'acme' } },
    ]);
    expect(answer.errors).toEqual([
      expect.objectContaining({ type: 'NOT_FOUND', path: ['nodes', 1], message: "Could not resolve to a node with the global id of 'MDQ6nope'" }),
    ]);

    const single = await gql(`query($id: ID!) { node(id: $id) { id } }`, { id: 'nope' });
    expect(single.data).toEqual({ node: null });
    expect(single.errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND', path: ['node'] })]);
  });

  it('refuses more than 100 ids with ARGUMENT_LIMIT and no data', async () => {
    const issue = seed();
    const ok = await gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array(100).fill(issue.id) });
    expect((ok.data as { nodes: unknown[] }).nodes).toHaveLength(100);
    const over = await gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array(101).fill(issue.id) });
    expect(over.status).toBe(200);
    expect(over.data).toBeNull();
    expect(over.errors).toEqual([
      expect.objectContaining({ type: 'ARGUMENT_LIMIT', path: ['nodes'], message: 'You may not provide more than 100 node ids; you provided 101.' }),
    ]);
  });

  it('lists repository labels with a query and an order', async () => {
    const answer = await gql<{ repository: { labels: { totalCount: number; nodes: Array<{ name: string }> } } }>(
      `{ repository(owner: "acme", name: "tickets") { labels(first: 10, query: "OPEN", orderBy: {field: NAME, direction: DESC}) { totalCount nodes { name } } } }`,
    );
    expect(answer.data?.repository.labels).toEqual({ totalCount: 1, nodes: [{ name: 'state: open' }] });
    const all = await gql<{ repository: { labels: { nodes: Array<{ name: string }> } } }>(
      `{ repository(owner: "acme", name: "tickets") { labels(first: 10, orderBy: {field: NAME, direction: ASC}) { nodes { name } } } }`,
    );
    expect(all.data?.repository.labels.nodes.map((l) => l.name)).toEqual(['Bug', 'engagement', 'state: open']);
  });
});

// ---------------------------------------------------------------- single mutations

describe('mutations one by one', () => {
  it('updateIssue edits title, body and state and replaces labels and assignees', async () => {
    const issue = seed('old');
    gh.seedIssue(REPO, { title: 'other', body: '', author: 'alice' });
    const answer = await gql<{ updateIssue: { actor: { login: string }; issue: Record<string, unknown> } }>(
      `mutation($id: ID!, $labels: [ID!], $who: [ID!]) { updateIssue(input: {id: $id, title: "new", body: "text", state: CLOSED, labelIds: $labels, assigneeIds: $who}) {
        actor { login } issue { title body state stateReason labels(first: 5) { nodes { name } } assignees(first: 5) { nodes { login } } } } }`,
      { id: issue.id, labels: [gh.labelNodeId(REPO, 'engagement')], who: [gh.userNodeId('bob')] },
    );
    expect(answer.data?.updateIssue).toEqual({
      actor: { login: 'engagement-bot' },
      issue: { title: 'new', body: 'text', state: 'CLOSED', stateReason: 'COMPLETED', labels: { nodes: [{ name: 'engagement' }] }, assignees: { nodes: [{ login: 'bob' }] } },
    });
    expect(names(gh.takeEvents())).toEqual(['issues.edited', 'issues.closed', 'issues.labeled:engagement', 'issues.assigned']);
    const reopened = await gql(`mutation($id: ID!) { reopenIssue(input: {issueId: $id}) { issue { state stateReason } } }`, { id: issue.id });
    expect(reopened.data).toEqual({ reopenIssue: { issue: { state: 'OPEN', stateReason: 'REOPENED' } } });
    const blank = await gql(`mutation($id: ID!) { updateIssue(input: {id: $id, title: " "}) { issue { title } } }`, { id: issue.id });
    expect(blank.errors).toEqual([expect.objectContaining({ type: 'UNPROCESSABLE', path: ['updateIssue'], message: "Title can't be blank" })]);
    expect(gh.issue(REPO, issue.number).title).toBe('new');
  });

  it('closeIssue as a duplicate: NOT_PLANNED unless enableDuplicate, duplicate over REST', async () => {
    const original = seed('original');
    const dup = seed('dup');
    const answer = await gql<{ closeIssue: { issue: Record<string, unknown> } }>(
      `mutation($id: ID!, $of: ID!) { closeIssue(input: {issueId: $id, stateReason: DUPLICATE, duplicateIssueId: $of}) {
        issue { state plain: stateReason exact: stateReason(enableDuplicate: true) } } }`,
      { id: dup.id, of: original.id },
    );
    expect(answer.data?.closeIssue.issue).toEqual({ state: 'CLOSED', plain: 'NOT_PLANNED', exact: 'DUPLICATE' });
    expect(gh.issue(REPO, dup.number)).toMatchObject({ stateReason: 'duplicate', duplicateOf: { repo: REPO, number: original.number } });
    expect((await bot.rest.issues.get({ owner: 'acme', repo: 'tickets', issue_number: dup.number })).data.state_reason).toBe('duplicate');
    const self = await gql(`mutation($id: ID!) { closeIssue(input: {issueId: $id, duplicateIssueId: $id}) { clientMutationId } }`, { id: original.id });
    expect(self.errors?.[0]).toMatchObject({ type: 'UNPROCESSABLE', path: ['closeIssue'] });
    expect(gh.issue(REPO, original.number).state).toBe('open');
  });

  it('updateIssueComment and deleteIssueComment by node id; another user may not edit', async () => {
    const issue = seed();
    const id = gh.seedComment(REPO, issue.number, { author: BOT, body: 'v1' });
    const nodeId = gh.issue(REPO, issue.number).comments.find((c) => c.id === id)?.nodeId;
    tick();
    const updated = await gql(`mutation($id: ID!) { updateIssueComment(input: {id: $id, body: "v2"}) { issueComment { body updatedAt viewerDidAuthor } } }`, { id: nodeId });
    expect(updated.data).toEqual({ updateIssueComment: { issueComment: { body: 'v2', updatedAt: '2026-11-25T10:01:00Z', viewerDidAuthor: true } } });
    const bob = await gql(`mutation($id: ID!) { updateIssueComment(input: {id: $id, body: "mine"}) { clientMutationId } }`, { id: nodeId }, 'bob');
    expect(bob.errors?.[0]).toMatchObject({ type: 'FORBIDDEN', message: 'bob does not have the correct permissions to execute `UpdateIssueComment`' });
    const deleted = await gql(`mutation($id: ID!) { deleteIssueComment(input: {id: $id, clientMutationId: "d"}) { clientMutationId } }`, { id: nodeId });
    expect(deleted.data).toEqual({ deleteIssueComment: { clientMutationId: 'd' } });
    expect(gh.issue(REPO, issue.number).comments).toEqual([]);
    expect(names(gh.takeEvents())).toEqual(['issue_comment.edited', 'issue_comment.deleted']);
    const again = await gql(`mutation($id: ID!) { deleteIssueComment(input: {id: $id}) { clientMutationId } }`, { id: nodeId });
    expect(again.errors?.[0]).toMatchObject({ type: 'NOT_FOUND', path: ['deleteIssueComment'] });
  });

  it('createLabel, then UNPROCESSABLE for a name that exists (case-insensitively)', async () => {
    const doc = `mutation($r: ID!, $name: String!) { createLabel(input: {repositoryId: $r, name: $name, color: "fbca04", description: "waiting"}) { label { id name color description } } }`;
    const created = await gql<{ createLabel: { label: { id: string } } }>(doc, { r: gh.repoNodeId(REPO), name: 'state: waiting' });
    expect(created.data?.createLabel.label).toEqual({ id: gh.labelNodeId(REPO, 'state: waiting'), name: 'state: waiting', color: 'fbca04', description: 'waiting' });
    expect(names(gh.takeEvents())).toEqual(['label.created:state: waiting']);
    const dup = await gql(doc, { r: gh.repoNodeId(REPO), name: 'STATE: WAITING' });
    expect(dup.data).toEqual({ createLabel: null });
    expect(dup.errors).toEqual([expect.objectContaining({ type: 'UNPROCESSABLE', path: ['createLabel'], message: 'Name has already been taken' })]);
    const byUser = await gql(doc, { r: gh.repoNodeId(REPO), name: 'x' }, 'bob');
    expect(byUser.errors?.[0]).toMatchObject({ type: 'FORBIDDEN' });
    expect(gh.takeEvents()).toEqual([]);
  });

  it('minimizeComment hides a comment with GitHub\'s reason spelling, over GraphQL and REST; unminimizeComment shows it', async () => {
    const issue = seed();
    const id = gh.seedComment(REPO, issue.number, { author: 'bob', body: 'spam?' });
    const nodeId = gh.issue(REPO, issue.number).comments[0]?.nodeId;
    const answer = await gql(
      `mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OFF_TOPIC}) { minimizedComment { isMinimized minimizedReason ... on IssueComment { body } } } }`,
      { id: nodeId },
    );
    expect(answer.data).toEqual({ minimizeComment: { minimizedComment: { isMinimized: true, minimizedReason: 'off-topic', body: 'spam?' } } });
    expect(gh.issue(REPO, issue.number).comments[0]?.minimized).toBe('off-topic');
    const rest = await bot.rest.issues.getComment({ owner: 'acme', repo: 'tickets', comment_id: id });
    expect(rest.data).toMatchObject({ minimized: { reason: 'off-topic' }, pin: null });
    const read = await gql<{ repository: { issue: { comments: { nodes: Array<{ isMinimized: boolean; minimizedReason: string | null }> } } } }>(
      `query($n: Int!) { repository(owner: "acme", name: "tickets") { issue(number: $n) { comments(first: 5) { nodes { isMinimized minimizedReason } } } } }`,
      { n: issue.number },
    );
    expect(read.data?.repository.issue.comments.nodes).toEqual([{ isMinimized: true, minimizedReason: 'off-topic' }]);
    const byBob = await gql(`mutation($id: ID!) { unminimizeComment(input: {subjectId: $id}) { clientMutationId } }`, { id: nodeId }, 'bob');
    expect(byBob.errors?.[0]).toMatchObject({ type: 'FORBIDDEN', message: 'bob does not have the correct permissions to execute `UnminimizeComment`' });
    const shown = await gql(`mutation($id: ID!) { unminimizeComment(input: {subjectId: $id}) { unminimizedComment { isMinimized minimizedReason } } }`, { id: nodeId });
    expect(shown.data).toEqual({ unminimizeComment: { unminimizedComment: { isMinimized: false, minimizedReason: null } } });
    expect((await bot.rest.issues.getComment({ owner: 'acme', repo: 'tickets', comment_id: id })).data).toMatchObject({ minimized: null });
    expect(gh.events).toEqual([]); // GitHub sends no webhook for hiding a comment
  });
});

// ---------------------------------------------------------------- reactions

describe('reactions', () => {
  it('addReaction is idempotent per user and content; groups, connections and REST agree', async () => {
    const issue = seed();
    const commentId = gh.seedComment(REPO, issue.number, { author: 'alice', body: '/queue-moved' });
    const subject = gh.issue(REPO, issue.number).comments[0]?.nodeId;
    const add = `mutation($s: ID!) { addReaction(input: {subjectId: $s, content: EYES}) { reaction { id databaseId content } subject { id viewerCanReact } } }`;
    const first = await gql<{ addReaction: { reaction: { id: string; databaseId: number } } }>(add, { s: subject });
    const second = await gql<{ addReaction: { reaction: { id: string; databaseId: number } } }>(add, { s: subject });
    expect(first.data?.addReaction).toEqual({ reaction: { id: expect.stringMatching(/^REA_/), databaseId: expect.any(Number), content: 'EYES' }, subject: { id: subject, viewerCanReact: true } });
    expect(second.data).toEqual(first.data);
    await gql(add, { s: subject }, 'bob');
    await gql(`mutation($s: ID!) { addReaction(input: {subjectId: $s, content: THUMBS_UP}) { clientMutationId } }`, { s: subject }, 'bob');
    expect(gh.issue(REPO, issue.number).comments[0]?.reactions).toEqual([
      { content: 'eyes', user: BOT },
      { content: 'eyes', user: 'bob' },
      { content: '+1', user: 'bob' },
    ]);

    type Read = {
      node: {
        reactionGroups: Array<{ content: string; viewerHasReacted: boolean; reactors: { totalCount: number; nodes: Array<{ __typename: string; login: string }> }; users: { totalCount: number } }>;
        reactions: { totalCount: number; viewerHasReacted: boolean; nodes: Array<{ content: string; user: { login: string } | null }> };
      };
    };
    const read = await gql<Read>(
      `query($s: ID!) { node(id: $s) { ... on Reactable {
        reactionGroups { content viewerHasReacted reactors(first: 10) { totalCount nodes { __typename ... on Actor { login } } } users(first: 10) { totalCount } }
        reactions(first: 10, content: EYES) { totalCount viewerHasReacted nodes { content user { login } } } } } }`,
      { s: subject },
    );
    const groups = read.data?.node.reactionGroups ?? [];
    expect(groups.map((g) => g.content)).toEqual(['THUMBS_UP', 'THUMBS_DOWN', 'LAUGH', 'HOORAY', 'CONFUSED', 'HEART', 'ROCKET', 'EYES']);
    expect(groups.map((g) => g.reactors.totalCount)).toEqual([1, 0, 0, 0, 0, 0, 0, 2]);
    expect(groups[7]).toEqual({
      content: 'EYES',
      viewerHasReacted: true,
      reactors: { totalCount: 2, nodes: [{ __typename: 'Bot', login: 'engagement-bot' }, { __typename: 'User', login: 'bob' }] },
      users: { totalCount: 1 }, // the deprecated `users` lists users only
    });
    expect(groups[0]?.viewerHasReacted).toBe(false);
    expect(read.data?.node.reactions).toEqual({
      totalCount: 2,
      viewerHasReacted: true,
      nodes: [
        { content: 'EYES', user: null },
        { content: 'EYES', user: { login: 'bob' } },
      ],
    });

    // REST sees the same reactions: 200 (not 201) for one this user already gave.
    const rest = await bot.rest.reactions.createForIssueComment({ owner: 'acme', repo: 'tickets', comment_id: commentId, content: 'eyes' });
    expect(rest.status).toBe(200);
    expect(rest.data).toMatchObject({ id: first.data?.addReaction.reaction.databaseId, content: 'eyes', user: { login: BOT } });
    const heart = await bot.rest.reactions.createForIssueComment({ owner: 'acme', repo: 'tickets', comment_id: commentId, content: 'heart' });
    expect(heart.status).toBe(201);
    const list = await bot.rest.reactions.listForIssueComment({ owner: 'acme', repo: 'tickets', comment_id: commentId, content: 'eyes' });
    expect(list.data.map((r) => r.user?.login)).toEqual([BOT, 'bob']);
    const comment = await bot.rest.issues.getComment({ owner: 'acme', repo: 'tickets', comment_id: commentId });
    expect(comment.data.reactions).toMatchObject({ total_count: 4, '+1': 1, eyes: 2, heart: 1, laugh: 0 });
    await bot.rest.reactions.deleteForIssueComment({ owner: 'acme', repo: 'tickets', comment_id: commentId, reaction_id: heart.data.id });
    const removed = await gql(`mutation($s: ID!) { removeReaction(input: {subjectId: $s, content: EYES}) { reaction { content } subject { reactions(first: 5) { totalCount } } } }`, { s: subject });
    expect(removed.data).toEqual({ removeReaction: { reaction: { content: 'EYES' }, subject: { reactions: { totalCount: 2 } } } });
    expect(gh.events).toEqual([]); // reactions send no webhook
  });

  it('reacts to issues too, over GraphQL and REST, and 422s an unknown content', async () => {
    const issue = seed();
    await gql(`mutation($s: ID!) { addReaction(input: {subjectId: $s, content: ROCKET}) { clientMutationId } }`, { s: issue.id });
    const rest = await bot.rest.reactions.createForIssue({ owner: 'acme', repo: 'tickets', issue_number: issue.number, content: 'rocket' });
    expect(rest.status).toBe(200);
    expect(gh.issue(REPO, issue.number).reactions).toEqual([{ content: 'rocket', user: BOT }]);
    expect((await bot.rest.issues.get({ owner: 'acme', repo: 'tickets', issue_number: issue.number })).data.reactions).toMatchObject({ total_count: 1, rocket: 1 });
    const bad = await fetch(`${gh.url}/repos/acme/tickets/issues/${issue.number}/reactions`, {
      method: 'POST',
      headers: { authorization: `token ${botToken}` },
      body: JSON.stringify({ content: 'party' }),
    });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ message: 'Validation Failed', errors: [{ resource: 'Reaction', field: 'content' }] });
  });
});

// ---------------------------------------------------------------- same effects as REST

describe('the same change over REST and GraphQL', () => {
  /** The events of `act` in a fresh world, with the stand-in's URL taken out (each world has its own port). */
  async function eventsOf(act: (w: GitHubStandIn, octokit: Octokit, issue: { number: number; id: string }) => Promise<unknown>) {
    clock = T0;
    const w = await setup();
    try {
      w.seedIssue(REPO, { title: 't', body: 'b', author: 'alice', labels: ['engagement'], assignees: ['alice'] });
      w.seedComment(REPO, 1, { author: 'alice', body: 'hello' });
      const issue = { number: 1, id: w.issue(REPO, 1).nodeId };
      tick(5);
      await act(w, new Octokit({ auth: w.tokenFor(BOT), baseUrl: w.url, log: quiet }), issue);
      return { events: JSON.parse(JSON.stringify(w.takeEvents()).replaceAll(w.url, 'BASE')) as StandInEvent[], issue: w.issue(REPO, 1) };
    } finally {
      await w.close();
    }
  }
  const o = { owner: 'acme', repo: 'tickets', issue_number: 1 };

  it.each([
    [
      'labels added',
      (_w: GitHubStandIn, k: Octokit) => k.rest.issues.addLabels({ ...o, labels: ['Bug', 'state: open'] }),
      (w: GitHubStandIn, i: { id: string }) =>
        gql(`mutation($i: ID!, $l: [ID!]!) { addLabelsToLabelable(input: {labelableId: $i, labelIds: $l}) { clientMutationId } }`, { i: i.id, l: [w.labelNodeId(REPO, 'Bug'), w.labelNodeId(REPO, 'state: open')] }, BOT, w),
      2,
    ],
    [
      'a label removed',
      (_w: GitHubStandIn, k: Octokit) => k.rest.issues.removeLabel({ ...o, name: 'engagement' }),
      (w: GitHubStandIn, i: { id: string }) =>
        gql(`mutation($i: ID!, $l: [ID!]!) { removeLabelsFromLabelable(input: {labelableId: $i, labelIds: $l}) { clientMutationId } }`, { i: i.id, l: [w.labelNodeId(REPO, 'engagement')] }, BOT, w),
      1,
    ],
    [
      'a comment',
      (_w: GitHubStandIn, k: Octokit) => k.rest.issues.createComment({ ...o, body: 'note' }),
      (w: GitHubStandIn, i: { id: string }) => gql(`mutation($i: ID!) { addComment(input: {subjectId: $i, body: "note"}) { clientMutationId } }`, { i: i.id }, BOT, w),
      1,
    ],
    [
      'a comment edited',
      (w: GitHubStandIn, k: Octokit) => k.rest.issues.updateComment({ owner: 'acme', repo: 'tickets', comment_id: w.issue(REPO, 1).comments[0]?.id as number, body: 'edited' }),
      (w: GitHubStandIn) => gql(`mutation($c: ID!) { updateIssueComment(input: {id: $c, body: "edited"}) { clientMutationId } }`, { c: w.issue(REPO, 1).comments[0]?.nodeId }, BOT, w),
      1,
    ],
    [
      'an assignee added and one removed',
      async (_w: GitHubStandIn, k: Octokit) => {
        await k.rest.issues.addAssignees({ ...o, assignees: ['bob'] });
        await k.rest.issues.removeAssignees({ ...o, assignees: ['alice'] });
      },
      (w: GitHubStandIn, i: { id: string }) =>
        gql(
          `mutation($i: ID!, $bob: ID!, $alice: ID!) {
            a: addAssigneesToAssignable(input: {assignableId: $i, assigneeIds: [$bob]}) { clientMutationId }
            r: removeAssigneesFromAssignable(input: {assignableId: $i, assigneeIds: [$alice]}) { clientMutationId } }`,
          { i: i.id, bob: w.userNodeId('bob'), alice: w.userNodeId('alice') },
          BOT,
          w,
        ),
      2,
    ],
    [
      'closed as not planned',
      (_w: GitHubStandIn, k: Octokit) => k.rest.issues.update({ ...o, state: 'closed', state_reason: 'not_planned' }),
      (w: GitHubStandIn, i: { id: string }) => gql(`mutation($i: ID!) { closeIssue(input: {issueId: $i, stateReason: NOT_PLANNED}) { clientMutationId } }`, { i: i.id }, BOT, w),
      1,
    ],
    [
      'body edited',
      (_w: GitHubStandIn, k: Octokit) => k.rest.issues.update({ ...o, body: 'new body' }),
      (w: GitHubStandIn, i: { id: string }) => gql(`mutation($i: ID!) { updateIssue(input: {id: $i, body: "new body"}) { clientMutationId } }`, { i: i.id }, BOT, w),
      1,
    ],
  ] as const)('%s: identical state and webhook deliveries', async (_name, viaRest, viaGraphql, count) => {
    const rest = await eventsOf((w, k) => viaRest(w, k));
    const graphql = await eventsOf((w, _k, issue) => viaGraphql(w, issue));
    expect(rest.events).toHaveLength(count);
    expect(graphql.events).toEqual(rest.events);
    expect(graphql.issue).toEqual(rest.issue);
  });
});

describe('documents are valid against GitHub too', () => {
  it('every mutation document of these tests validates against GitHub\'s published schema', () => {
    // A sample of the shapes used above, including interface fragments and aliases.
    const docs = [
      `mutation($i: ID!, $l: [ID!]!) { a: addLabelsToLabelable(input: {labelableId: $i, labelIds: $l}) { labelable { ... on Issue { number } } } }`,
      `mutation($s: ID!) { addComment(input: {subjectId: $s, body: "x"}) { commentEdge { cursor node { id databaseId url body } } subject { id } } }`,
      `mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized minimizedReason } } }`,
      `mutation($s: ID!) { addReaction(input: {subjectId: $s, content: EYES}) { reaction { content } reactionGroups { content } subject { id } } }`,
      `mutation($id: ID!, $of: ID!) { closeIssue(input: {issueId: $id, stateReason: DUPLICATE, duplicateIssueId: $of}) { issue { stateReason(enableDuplicate: true) } } }`,
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on IssueComment { isMinimized reactions(first: 1) { totalCount } } } }`,
    ];
    for (const doc of docs) {
      expect(validate(GITHUB, parse(doc)).map((e) => e.message), doc).toEqual([]);
      expect(validate(standIn, parse(doc)).map((e) => e.message), doc).toEqual([]);
    }
  });
});
