// Every GraphQL document the Octokit adapter sends is valid against GitHub's published schema
// (@octokit/graphql-schema), not only against the stand-in's subset (which executes them in the
// other tests); and a document naming a field GitHub lacks is caught.
import { readFileSync } from 'node:fs';
import { schema as github } from '@octokit/graphql-schema';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Write } from '../src/core/plan.js';
import { mutationFor } from '../src/github/mutation.js';
import { CREATE_BOARD_FIELD, OPEN_TRANSFER_REQUEST, OPEN_TRANSFER_REQUEST_AND_LABEL, READ_TRANSFER_REQUEST, RECENT_TRANSFER_REQUESTS, VIEWER, readBoardItemsQuery, readBoardQuery, readEngagementQuery, readEngagementsQuery } from '../src/github/octokit.js';
import { schema as standIn } from './support/github-standin/graphql.js';

// The SDL as GitHub publishes it defines two fields of EnterpriseOwnerInfo twice (identically),
// which buildSchema's SDL check rejects, so that check is skipped; validate() still checks the
// schema's types. (The package's schema.json, which its own validate() uses, lacks the sub-issue
// fields the adapter reads: Issue.parent and Issue.subIssues. The SDL has them.)
const GITHUB = buildSchema(github.idl, { assumeValidSDL: true });

const ENGAGEMENT = { repo: { owner: 'o', name: 'r' }, number: 1 };
const REQUEST = { repo: { owner: 'o', name: 'r' }, number: 2 };
const IDS = {
  issues: { 'o/r#1': 'I_1', 'o/r#2': 'I_2' },
  labels: { stalled: 'L_1', 'migration-complete': 'L_2' },
  users: { 'fm-alice': 'U_1' },
  board: {
    projectId: 'PVT_1',
    fields: {
      Step: { id: 'F_1', dataType: 'SINGLE_SELECT', options: { discussion: 'o1' } },
      'Step since': { id: 'F_2', dataType: 'DATE', options: {} },
      FM: { id: 'F_3', dataType: 'TEXT', options: {} },
      'Next action date': { id: 'F_4', dataType: 'DATE', options: {} },
    },
    item: { id: 'PVTI_1', values: { 'Next action date': '2027-12-31' } },
  },
};
/** One write of every kind the plan's document carries. */
const EVERY_WRITE: Write[] = [
  { kind: 'update-body', target: ENGAGEMENT, body: 'b', why: 'w' },
  { kind: 'comment', target: ENGAGEMENT, key: 'k', template: 't', locale: 'en', extraKeys: [], body: 'c' },
  { kind: 'delete-comment', target: ENGAGEMENT, commentId: 9, nodeId: 'IC_9', key: 'k' },
  { kind: 'add-labels', target: ENGAGEMENT, labels: ['stalled'] },
  { kind: 'remove-label', target: ENGAGEMENT, label: 'migration-complete' },
  { kind: 'add-assignees', target: ENGAGEMENT, logins: ['fm-alice'] },
  { kind: 'remove-assignees', target: ENGAGEMENT, logins: ['fm-alice'] },
  { kind: 'close-issue', target: REQUEST, reason: 'completed' },
  { kind: 'reopen-issue', target: REQUEST },
  { kind: 'board', target: ENGAGEMENT, values: { Step: 'discussion', Region: 'EMEA', FM: 'fm-alice', 'Step since': '2026-11-25', 'Next action date': null } },
];

/** Each document, by operation name; ReadEngagement with none, one and several assignee aliases. */
const DOCUMENTS: Array<[string, string]> = [
  ['Viewer', VIEWER],
  ['ReadEngagement (no look-ups)', readEngagementQuery({ assignees: 0, labels: 0, users: 0, confirmers: 0 })],
  ['ReadEngagement (1 of each)', readEngagementQuery({ assignees: 1, labels: 1, users: 1, confirmers: 1 })],
  ['ReadEngagement (several)', readEngagementQuery({ assignees: 3, labels: 2, users: 2, confirmers: 2 })],
  ['ReadEngagements (batch)', readEngagementsQuery({ assignees: 1, labels: 1, users: 3, confirmers: 0 })],
  ['ReadEngagement (with an organisation board)', readEngagementQuery({ assignees: 0, labels: 1, users: 1, confirmers: 0, board: 'organization' })],
  ['ReadEngagements (with a user board)', readEngagementsQuery({ assignees: 0, labels: 1, users: 1, confirmers: 0, board: 'user' })],
  ['ReadBoard', readBoardQuery('organization')],
  ['ReadBoard (fields only)', readBoardQuery('user', false)],
  ['CreateBoardField', CREATE_BOARD_FIELD],
  ['ReadBoardItems', readBoardItemsQuery('user')],
  ['ReadTransferRequest', READ_TRANSFER_REQUEST],
  ['RecentTransferRequests', RECENT_TRANSFER_REQUESTS],
  ['OpenTransferRequest', OPEN_TRANSFER_REQUEST],
  ['OpenTransferRequestAndLabel', OPEN_TRANSFER_REQUEST_AND_LABEL],
  ['ApplyPlan (every kind of write)', mutationFor(EVERY_WRITE, IDS).document],
];

const errorsOf = (schema: GraphQLSchema, doc: string) => validate(schema, parse(doc)).map((e) => e.message);

describe("the adapter's GraphQL documents", () => {
  it.each(DOCUMENTS)("%s is valid against GitHub's published schema", (_, doc) => {
    expect(errorsOf(GITHUB, doc)).toEqual([]);
  });

  it.each(DOCUMENTS)("%s is valid against the stand-in's subset schema", (_, doc) => {
    expect(errorsOf(standIn, doc)).toEqual([]);
  });

  it('are all of them: the adapter writes no other query or mutation inline', () => {
    const source = readFileSync(new URL('../src/github/octokit.ts', import.meta.url), 'utf8');
    const inSource = [...source.matchAll(/\b(?:query|mutation) ([A-Z]\w*)\s*[({]/g)].map((m) => m[1]).sort();
    // ApplyPlan is built by mutation.ts from the plan's writes.
    const exported = [...new Set(DOCUMENTS.map(([, doc]) => /\b(?:query|mutation) ([A-Z]\w*)/.exec(doc)?.[1]))].filter((name) => name !== 'ApplyPlan').sort();
    expect(inSource).toEqual(exported);
    // Every call sends one of the exported documents (through `query` or `mutation`), never a string written at the call.
    const sent = [...source.matchAll(/\.graphql<.*?>\((\w+)[,)]/g)].map((m) => m[1]);
    expect(sent).toEqual(['query', 'query', 'VIEWER', 'document', 'mutation', 'mutation']); // the partial read's and the tolerant mutation's helpers send theirs
    const assigned = [...source.matchAll(/const (query|mutation|plan) = (.+);$/gm)].map((m) => m[2]).sort();
    expect(assigned).toEqual(['CREATE_BOARD_FIELD', 'OPEN_TRANSFER_REQUEST', 'OPEN_TRANSFER_REQUEST_AND_LABEL', 'READ_TRANSFER_REQUEST', 'RECENT_TRANSFER_REQUESTS', 'mutationFor(writes, ids)', 'readBoardItemsQuery(project.ownerKind)', 'readBoardQuery(project.ownerKind, issueNodeId !== null)', 'readEngagementQuery(shape)', 'readEngagementsQuery(shape)']);
  });
});

describe('a field GitHub lacks', () => {
  const broken = READ_TRANSFER_REQUEST.replace('parent { number', 'parent { number bogusMigrationField');

  it('fails validation against GitHub\'s schema, naming the field and its type', () => {
    expect(broken).not.toBe(READ_TRANSFER_REQUEST);
    const errors = errorsOf(GITHUB, broken);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"bogusMigrationField"');
    expect(errors[0]).toContain('"Issue"');
  });

  it('fails against the stand-in too, and so does a real GitHub field the subset leaves out', () => {
    expect(errorsOf(standIn, broken).join('\n')).toContain('bogusMigrationField');
    // `milestone` is on GitHub's Issue; the subset does not model it, so a query using it would
    // pass here and fail nowhere else: both schemas are checked.
    const withMilestone = READ_TRANSFER_REQUEST.replace('parent { number', 'milestone { title } parent { number');
    expect(errorsOf(GITHUB, withMilestone)).toEqual([]);
    expect(errorsOf(standIn, withMilestone).join('\n')).toContain('milestone');
  });
});
