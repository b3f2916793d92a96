// The GitHub stand-in's Projects (v2): an organisation's or a user's project read and written over GraphQL as on
// GitHub, reachable only with a token granted the owner's projects (the workflow's default token is refused).
import { schema as github } from '@octokit/graphql-schema';
import { buildSchema, parse, validate } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubStandIn, type GitHubStandIn } from './support/github-standin/index.js';

const ORG = 'acme';
const REPO = 'acme/tickets';
const OTHER = 'acme/other';
const BOT = 'github-actions[bot]';
const APP = 'engagement-app[bot]';
const GITHUB = buildSchema(github.idl, { assumeValidSDL: true });
const FIELDS = [
  { name: 'Step', dataType: 'SINGLE_SELECT' as const, options: ['Intake', 'Planning', 'Migrating', 'Done'] },
  { name: 'Region', dataType: 'SINGLE_SELECT' as const, options: ['EMEA', 'AMER', 'APAC'] },
  { name: 'FM', dataType: 'TEXT' as const },
  { name: 'Step since', dataType: 'DATE' as const },
  { name: 'Next action date', dataType: 'DATE' as const },
];

let gh: GitHubStandIn;
/** GraphQL answers, read loosely: each test asserts the shape it asked for. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked by the assertions, not by types
type Json = any;
const documents: string[] = [];

interface GqlError {
  type?: string;
  path?: Array<string | number>;
  message: string;
}
interface Answer<T> {
  data?: T | null;
  errors?: GqlError[];
}

async function gql<T = Json>(query: string, variables: Record<string, unknown> = {}, login = APP): Promise<Answer<T>> {
  documents.push(query);
  const res = await fetch(`${gh.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `bearer ${gh.tokenFor(login)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Answer<T>;
}

const PROJECT = `query Project($org: String!, $number: Int!) {
  organization(login: $org) {
    projectV2(number: $number) {
      id number title url
      fields(first: 30) { totalCount nodes {
        ... on ProjectV2Field { id name dataType }
        ... on ProjectV2SingleSelectField { id name dataType options { id name } }
      } }
      items(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { id content { ... on Issue { id number repository { nameWithOwner } } } } }
    }
  }
}`;

const ISSUE_ITEMS = `query IssueItems($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    issue(number: $number) {
      projectItems(first: 10, includeArchived: false) { nodes { id project { id }
        fieldValues(first: 20) { nodes {
          ... on ProjectV2ItemFieldSingleSelectValue { optionId name field { ... on ProjectV2FieldCommon { id name } } }
          ... on ProjectV2ItemFieldTextValue { text field { ... on ProjectV2FieldCommon { id name } } }
          ... on ProjectV2ItemFieldDateValue { date field { ... on ProjectV2FieldCommon { id name } } }
        } }
        step: fieldValueByName(name: "Step") { ... on ProjectV2ItemFieldSingleSelectValue { name } }
      } }
    }
  }
}`;

const ADD = `mutation Add($project: ID!, $content: ID!) { addProjectV2ItemById(input: { projectId: $project, contentId: $content }) { item { id } } }`;
const SET = `mutation Set($project: ID!, $item: ID!, $field: ID!, $value: ProjectV2FieldValue!) {
  updateProjectV2ItemFieldValue(input: { projectId: $project, itemId: $item, fieldId: $field, value: $value }) { projectV2Item { id } }
}`;

type Values = Record<string, string>;
/** An issue's values on its (only visible) item, by field name, from Issue.projectItems. */
async function valuesOf(repo: string, number: number, login = APP): Promise<{ items: number; values: Values; step: string | null }> {
  const [owner, name] = repo.split('/');
  const answer = await gql(ISSUE_ITEMS, { owner, name, number }, login);
  expect(answer.errors).toBeUndefined();
  const items = answer.data.repository.issue.projectItems.nodes as Json[];
  const values: Values = {};
  for (const v of items[0]?.fieldValues.nodes ?? []) {
    if (!v.field) continue; // a kind of value not asked for (Repository): `{}`, as on GitHub
    values[v.field.name] = v.name ?? v.text ?? v.date;
  }
  return { items: items.length, values, step: items[0]?.step?.name ?? null };
}

const field = (name: string) => gh.project(ORG, 7).fields.find((f) => f.name === name)!;
const option = (fieldName: string, name: string) => field(fieldName).options.find((o) => o.name === name)!.id;
const issueId = (repo: string, n: number) => gh.issue(repo, n).nodeId;

beforeEach(async () => {
  gh = await startGitHubStandIn({ now: () => new Date('2026-11-25T10:00:00Z') });
  gh.addUser(BOT, { type: 'Bot' });
  gh.addUser(APP, { type: 'Bot' });
  gh.addUser('alice');
  gh.addRepo(REPO);
  gh.addRepo(OTHER);
  for (const t of ['A', 'B', 'C']) gh.seedIssue(REPO, { title: `Engagement ${t}`, body: 'b', author: 'alice' });
  gh.seedIssue(OTHER, { title: 'Elsewhere', body: 'b', author: 'alice' });
  gh.addProject(ORG, 7, 'Engagements', FIELDS);
  gh.grantProjects(APP, ORG);
});

afterEach(async () => {
  await gh.close();
});

describe('reading a project', () => {
  it('by organisation number, with the built-in fields and the custom ones, typed, and paginated items', async () => {
    gh.addProjectItem(ORG, 7, { repo: REPO, number: 1 });
    gh.addProjectItem(ORG, 7, { repo: REPO, number: 2 });
    gh.addProjectItem(ORG, 7, { repo: OTHER, number: 1 });
    const { data, errors } = await gql(PROJECT, { org: ORG, number: 7 });
    expect(errors).toBeUndefined();
    const p = data.organization.projectV2;
    expect(p).toMatchObject({ number: 7, title: 'Engagements', url: 'https://github.com/orgs/acme/projects/7' });
    expect(p.id).toMatch(/^PVT_/);
    const byName = Object.fromEntries(p.fields.nodes.map((f: Json) => [f.name, f]));
    expect(byName.Title).toMatchObject({ dataType: 'TITLE' });
    expect(byName.Title.id).toMatch(/^PVTF_/);
    expect(byName.Status.options.map((o: Json) => o.name)).toEqual(['Todo', 'In Progress', 'Done']);
    expect(byName.Step.id).toMatch(/^PVTSSF_/);
    expect(byName.Step.options.map((o: Json) => o.name)).toEqual(['Intake', 'Planning', 'Migrating', 'Done']);
    expect(byName.Step.options[0].id).toMatch(/^[0-9a-f]{8}$/);
    expect(byName.FM).toEqual({ id: field('FM').id, name: 'FM', dataType: 'TEXT' });
    expect(byName['Step since'].dataType).toBe('DATE');
    expect(p.fields.totalCount).toBe(10 + FIELDS.length);
    expect(p.items.totalCount).toBe(3);
    expect(p.items.pageInfo.hasNextPage).toBe(true);
    expect(p.items.nodes.map((i: Json) => [i.content.repository.nameWithOwner, i.content.number])).toEqual([[REPO, 1], [REPO, 2]]);
    const next = await gql(`query($c: String) { organization(login: "acme") { projectV2(number: 7) { items(first: 2, after: $c) { nodes { content { ... on Issue { number repository { nameWithOwner } } } } } } } }`, { c: p.items.pageInfo.endCursor });
    expect(next.data.organization.projectV2.items.nodes).toEqual([{ content: { number: 1, repository: { nameWithOwner: OTHER } } }]);
  });

  it("by a user's number; an unknown number is null with NOT_FOUND", async () => {
    gh.addProject('alice', 2, 'Mine', [{ name: 'FM', dataType: 'TEXT' }], { status: false });
    gh.grantProjects(APP, 'alice');
    const mine = await gql(`{ user(login: "alice") { projectV2(number: 2) { title url fields(first: 20) { nodes { ... on ProjectV2FieldCommon { name } } } } } }`);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.user.projectV2.url).toBe('https://github.com/users/alice/projects/2');
    expect(mine.data.user.projectV2.fields.nodes.map((f: Json) => f.name)).not.toContain('Status');
    expect(mine.data.user.projectV2.fields.nodes.map((f: Json) => f.name)).toContain('FM');
    const missing = await gql(`{ organization(login: "acme") { projectV2(number: 99) { id } } }`);
    expect(missing.data).toEqual({ organization: { projectV2: null } });
    expect(missing.errors).toEqual([{ type: 'NOT_FOUND', path: ['organization', 'projectV2'], locations: expect.any(Array), message: 'Could not resolve to a ProjectV2 with the number 99.' }]);
  });
});

describe("the workflow's default token", () => {
  it('is refused: projectV2 null with FORBIDDEN, every project mutation FORBIDDEN and nothing changes', async () => {
    const read = await gql(PROJECT, { org: ORG, number: 7 }, BOT);
    expect(read.data).toEqual({ organization: { projectV2: null } });
    expect(read.errors).toEqual([
      { type: 'FORBIDDEN', path: ['organization', 'projectV2'], locations: expect.any(Array), message: 'Resource not accessible by integration' },
    ]);
    const itemId = gh.addProjectItem(ORG, 7, { repo: REPO, number: 2 });
    const project = gh.project(ORG, 7).id;
    const write = await gql(
      `mutation($p: ID!, $c: ID!, $i: ID!, $f: ID!, $o: String!) {
        add: addProjectV2ItemById(input: { projectId: $p, contentId: $c }) { item { id } }
        set: updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $f, value: { singleSelectOptionId: $o } }) { projectV2Item { id } }
        del: deleteProjectV2Item(input: { projectId: $p, itemId: $i }) { deletedItemId }
        make: createProjectV2Field(input: { projectId: $p, dataType: TEXT, name: "Notes" }) { projectV2Field { ... on ProjectV2Field { id } } }
      }`,
      { p: project, c: issueId(REPO, 1), i: itemId, f: field('Step').id, o: option('Step', 'Planning') },
      BOT,
    );
    expect(write.data).toEqual({ add: null, set: null, del: null, make: null });
    expect(write.errors!.map((e) => [e.type, e.path, e.message])).toEqual(
      ['add', 'set', 'del', 'make'].map((k) => ['FORBIDDEN', [k], 'Resource not accessible by integration']),
    );
    const after = gh.project(ORG, 7);
    expect(after.items.map((i) => i.content.number)).toEqual([2]);
    expect(after.items[0]!.values).toEqual({});
    expect(after.fields.some((f) => f.name === 'Notes')).toBe(false);
    // Issue.projectItems leaves the project out; node(id:) refuses it.
    expect((await valuesOf(REPO, 2, BOT)).items).toBe(0);
    expect((await valuesOf(REPO, 2, APP)).items).toBe(1);
    const byId = await gql(`query($id: ID!) { node(id: $id) { id } }`, { id: project }, BOT);
    expect(byId.errors?.[0]).toMatchObject({ type: 'FORBIDDEN', path: ['node'] });
  });
});

describe('writing items and values with a granted token', () => {
  it('adds an item idempotently, sets each kind of value, and reads them back through Issue.projectItems', async () => {
    const project = gh.project(ORG, 7).id;
    const first = await gql(ADD, { project, content: issueId(REPO, 1) });
    const again = await gql(ADD, { project, content: issueId(REPO, 1) });
    expect(first.errors).toBeUndefined();
    const item = first.data.addProjectV2ItemById.item.id as string;
    expect(item).toMatch(/^PVTI_/);
    expect(again.data.addProjectV2ItemById.item.id).toBe(item);
    expect(gh.project(ORG, 7).items).toHaveLength(1);

    const set = (f: string, value: Record<string, unknown>) => gql(SET, { project, item, field: field(f).id, value });
    for (const answer of [
      await set('Step', { singleSelectOptionId: option('Step', 'Migrating') }),
      await set('Region', { singleSelectOptionId: option('Region', 'EMEA') }),
      await set('FM', { text: 'fm-alice' }),
      await set('Step since', { date: '2026-11-20' }),
      await set('Next action date', { date: '2026-12-01' }),
    ]) {
      expect(answer).toEqual({ data: { updateProjectV2ItemFieldValue: { projectV2Item: { id: item } } } });
    }
    const read = await valuesOf(REPO, 1);
    expect(read).toEqual({
      items: 1,
      step: 'Migrating',
      values: { Title: 'Engagement A', Step: 'Migrating', Region: 'EMEA', FM: 'fm-alice', 'Step since': '2026-11-20', 'Next action date': '2026-12-01' },
    });
    expect(gh.project(ORG, 7).items[0]!.optionIds).toEqual({ Step: option('Step', 'Migrating'), Region: option('Region', 'EMEA') });

    // A person changes the step on the board; clearing a value over GraphQL removes it.
    gh.setProjectItemValue(ORG, 7, { repo: REPO, number: 1 }, 'Step', 'Done');
    const cleared = await gql(`mutation($p: ID!, $i: ID!, $f: ID!) { clearProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $f }) { projectV2Item { id } } }`, {
      p: project,
      i: item,
      f: field('FM').id,
    });
    expect(cleared.errors).toBeUndefined();
    const after = await valuesOf(REPO, 1);
    expect(after.step).toBe('Done');
    expect(after.values.FM).toBeUndefined();

    // Deleted (over GraphQL or on the board), the issue is on no project; adding again makes a new item.
    const del = await gql(`mutation($p: ID!, $i: ID!) { deleteProjectV2Item(input: { projectId: $p, itemId: $i }) { deletedItemId } }`, { p: project, i: item });
    expect(del.data.deleteProjectV2Item.deletedItemId).toBe(item);
    expect((await valuesOf(REPO, 1)).items).toBe(0);
    const readded = await gql(ADD, { project, content: issueId(REPO, 1) });
    expect(readded.data.addProjectV2ItemById.item.id).not.toBe(item);
    gh.removeProjectItem(ORG, 7, { repo: REPO, number: 1 });
    expect(gh.project(ORG, 7).items).toEqual([]);
  });

  it('one document adds an item for issue A and sets values of the existing item of issue B', async () => {
    const project = gh.project(ORG, 7).id;
    const itemB = gh.addProjectItem(ORG, 7, { repo: REPO, number: 2 });
    gh.setProjectItemValue(ORG, 7, { repo: REPO, number: 2 }, 'Step', 'Intake');
    const answer = await gql(
      `mutation Sync($p: ID!, $a: ID!, $b: ID!, $step: ID!, $since: ID!, $planning: String!) {
        addA: addProjectV2ItemById(input: { projectId: $p, contentId: $a }) { item { id } }
        stepB: updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $b, fieldId: $step, value: { singleSelectOptionId: $planning } }) { projectV2Item { id } }
        sinceB: updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $b, fieldId: $since, value: { date: "2026-11-25" } }) { projectV2Item { id } }
      }`,
      { p: project, a: issueId(REPO, 1), b: itemB, step: field('Step').id, since: field('Step since').id, planning: option('Step', 'Planning') },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.stepB.projectV2Item.id).toBe(itemB);
    const view = gh.project(ORG, 7);
    expect(view.items.map((i) => [i.content.number, i.values])).toEqual([
      [2, { Step: 'Planning', 'Step since': '2026-11-25' }],
      [1, {}],
    ]);
    expect(answer.data.addA.item.id).toBe(view.items[1]!.id);
    expect(gh.writes()).toHaveLength(1);
  });

  it('refuses an option of another field and a value of the wrong kind field by field; a bad date fails the whole document', async () => {
    const project = gh.project(ORG, 7).id;
    const item = gh.addProjectItem(ORG, 7, { repo: REPO, number: 3 });
    const answer = await gql(
      `mutation($p: ID!, $i: ID!, $step: ID!, $fm: ID!, $emea: String!, $done: String!) {
        wrong: updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $step, value: { singleSelectOptionId: $emea } }) { projectV2Item { id } }
        kind: updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $step, value: { text: "Done" } }) { projectV2Item { id } }
        ok: updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $step, value: { singleSelectOptionId: $done } }) { projectV2Item { id } }
        fm: updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $fm, value: { text: "fm-bob" } }) { projectV2Item { id } }
      }`,
      { p: project, i: item, step: field('Step').id, fm: field('FM').id, emea: option('Region', 'EMEA'), done: option('Step', 'Done') },
    );
    expect(answer.data).toEqual({ wrong: null, kind: null, ok: { projectV2Item: { id: item } }, fm: { projectV2Item: { id: item } } });
    expect(answer.errors!.map((e) => [e.type, e.path, e.message])).toEqual([
      ['UNPROCESSABLE', ['wrong'], 'The single select option Id does not belong to the field'],
      ['UNPROCESSABLE', ['kind'], 'Did not receive a single select option Id to update a field of type single_select'],
    ]);
    expect(gh.project(ORG, 7).items[0]!.values).toEqual({ Step: 'Done', FM: 'fm-bob' });

    for (const date of ['25/11/2026', '2026-11-25T10:00:00Z', '2026-02-30']) {
      const bad = await gql(
        `mutation($p: ID!, $i: ID!, $f: ID!, $fm: ID!, $value: ProjectV2FieldValue!) {
          fm: updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $fm, value: { text: "changed" } }) { projectV2Item { id } }
          d: updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $f, value: $value }) { projectV2Item { id } }
        }`,
        { p: project, i: item, f: field('Step since').id, fm: field('FM').id, value: { date } },
      );
      expect(bad.data ?? null).toBeNull(); // no field ran
      expect(bad.errors?.[0]?.message).toContain(`Could not coerce value "${date}" to Date`);
    }
    const inline = await gql(SET.replace('$value: ProjectV2FieldValue!', '').replace('value: $value', 'value: { date: "tomorrow" }'), { project, item, field: field('Step since').id });
    expect(inline.data ?? null).toBeNull();
    expect(inline.errors?.length).toBeGreaterThan(0);
    expect(gh.project(ORG, 7).items[0]!.values).toEqual({ Step: 'Done', FM: 'fm-bob' });
  });

  it('keeps items of issues from two repositories on one organisation project', async () => {
    const project = gh.project(ORG, 7).id;
    const a = await gql(ADD, { project, content: issueId(REPO, 1) });
    const b = await gql(ADD, { project, content: issueId(OTHER, 1) });
    expect(a.data.addProjectV2ItemById.item.id).not.toBe(b.data.addProjectV2ItemById.item.id);
    gh.setProjectItemValue(ORG, 7, { repo: OTHER, number: 1 }, 'Region', 'APAC');
    const { data } = await gql(PROJECT, { org: ORG, number: 7 });
    expect(data.organization.projectV2.items.nodes.map((i: Json) => `${i.content.repository.nameWithOwner}#${i.content.number}`)).toEqual([`${REPO}#1`, `${OTHER}#1`]);
    expect(await valuesOf(OTHER, 1)).toMatchObject({ items: 1, values: { Title: 'Elsewhere', Region: 'APAC' } });
    expect((await valuesOf(REPO, 1)).values).toEqual({ Title: 'Engagement A' });
  });
});

describe('fields', () => {
  it('createProjectV2Field makes a single select with options; a taken or reserved name is refused', async () => {
    const project = gh.project(ORG, 7).id;
    const answer = await gql(
      `mutation($p: ID!) {
        make: createProjectV2Field(input: { projectId: $p, dataType: SINGLE_SELECT, name: "Risk", singleSelectOptions: [
          { name: "Low", color: GREEN, description: "fine" }, { name: "High", color: RED, description: "" }
        ] }) { projectV2Field { ... on ProjectV2SingleSelectField { id name dataType options { id name color description } } ... on ProjectV2Field { id } } }
        taken: createProjectV2Field(input: { projectId: $p, dataType: TEXT, name: "fm" }) { projectV2Field { ... on ProjectV2Field { id } } }
        reserved: createProjectV2Field(input: { projectId: $p, dataType: TEXT, name: "Title" }) { projectV2Field { ... on ProjectV2Field { id } } }
        text: createProjectV2Field(input: { projectId: $p, dataType: TEXT, name: "Notes" }) { projectV2Field { ... on ProjectV2SingleSelectField { options { id } } ... on ProjectV2Field { id dataType } } }
      }`,
      { p: project },
    );
    const made = answer.data.make.projectV2Field;
    expect(made).toMatchObject({ name: 'Risk', dataType: 'SINGLE_SELECT', options: [{ name: 'Low', color: 'GREEN', description: 'fine' }, { name: 'High', color: 'RED', description: '' }] });
    expect(made.id).toMatch(/^PVTSSF_/);
    expect(answer.data.text.projectV2Field).toEqual({ id: field('Notes').id, dataType: 'TEXT' });
    expect(answer.errors!.map((e) => [e.path, e.message])).toEqual([
      [['taken'], 'Name has already been taken'],
      [['reserved'], 'Name cannot have a reserved value'],
    ]);
    expect(field('Risk').options.map((o) => o.id)).toEqual(made.options.map((o: Json) => o.id));
  });

  it('updateProjectV2Field replaces the options whole: new ids, and the items lose their value', async () => {
    gh.addProjectItem(ORG, 7, { repo: REPO, number: 1 });
    gh.setProjectItemValue(ORG, 7, { repo: REPO, number: 1 }, 'Region', 'EMEA');
    const oldEmea = option('Region', 'EMEA');
    const answer = await gql(
      `mutation($f: ID!) { updateProjectV2Field(input: { fieldId: $f, singleSelectOptions: [
        { name: "EMEA", color: BLUE, description: "" }, { name: "AMER", color: BLUE, description: "" }, { name: "APAC", color: BLUE, description: "" }, { name: "LATAM", color: BLUE, description: "" }
      ] }) { projectV2Field { ... on ProjectV2SingleSelectField { options { id name } } } } }`,
      { f: field('Region').id },
    );
    expect(answer.errors).toBeUndefined();
    const options = answer.data.updateProjectV2Field.projectV2Field.options;
    expect(options.map((o: Json) => o.name)).toEqual(['EMEA', 'AMER', 'APAC', 'LATAM']);
    expect(options[0].id).not.toBe(oldEmea);
    expect((await valuesOf(REPO, 1)).values.Region).toBeUndefined();
    // The board's option editor keeps the ids of kept names.
    gh.setProjectItemValue(ORG, 7, { repo: REPO, number: 1 }, 'Region', 'APAC');
    const apac = option('Region', 'APAC');
    gh.setProjectFieldOptions(ORG, 7, 'Region', ['APAC', 'EMEA']);
    expect(option('Region', 'APAC')).toBe(apac);
    expect((await valuesOf(REPO, 1)).values.Region).toBe('APAC');
  });
});

describe('documents are valid against GitHub too', () => {
  it("every document of these tests validates against GitHub's published schema", () => {
    expect(documents.length).toBeGreaterThan(10);
    for (const doc of new Set(documents)) expect(validate(GITHUB, parse(doc)).map((e) => e.message), doc).toEqual([]);
  });
});
