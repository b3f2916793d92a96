// A stateful GitHub stand-in: REST + GraphQL over node:http on 127.0.0.1, for Octokit clients used unchanged.
//
//   const gh = await startGitHubStandIn();
//   const token = gh.addUser('engagement-bot[bot]', { type: 'Bot' });
//   gh.addRepo('acme/tickets');
//   const octokit = new Octokit({ auth: token, baseUrl: gh.url });   // GraphQL: POST `${gh.url}/graphql`
import type { Server } from 'node:http';
import { Faults, type FaultRule } from './faults.js';
import { minimizedReason, type Issue, type Permission, type Project, type ProjectFieldType, type ProjectOptionColor, type Reaction, type StandInEvent } from './model.js';
import { startServer, type RequestLogEntry } from './server.js';
import { World, type ProjectFieldSeed } from './state.js';

export type { FaultRule } from './faults.js';
export type { GraphqlInfo } from './graphql.js';
export type { StandInEvent, Permission, ReactionContent, ProjectFieldType, ProjectOptionColor } from './model.js';
export type { ProjectFieldSeed, ProjectOptionSeed } from './state.js';
export type { RequestLogEntry } from './server.js';

export interface IssueRef {
  repo: string;
  number: number;
}

export interface IssueView {
  number: number;
  /** databaseId = REST `id` */
  id: number;
  nodeId: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  labels: string[];
  assignees: string[];
  author: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  comments: Array<{
    id: number;
    nodeId: string;
    author: string;
    body: string;
    createdAt: Date;
    updatedAt: Date;
    /** GraphQL's minimizedReason (`off-topic`, `outdated`, ...) of a hidden comment; null when shown. */
    minimized: string | null;
    /** Pinned at the top of the issue. */
    pinned: boolean;
    reactions: ReactionView[];
  }>;
  subIssues: IssueRef[];
  parent: IssueRef | null;
  reactions: ReactionView[];
  /** Set when closed as a duplicate of another issue (GraphQL closeIssue with duplicateIssueId). */
  duplicateOf: IssueRef | null;
}

export interface ReactionView {
  /** REST spelling: '+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'. */
  content: string;
  user: string;
}

export interface SeedIssue {
  title: string;
  body: string;
  author: string;
  labels?: string[];
  assignees?: string[];
  state?: 'open' | 'closed';
  createdAt?: Date;
  updatedAt?: Date;
}

/** A project (v2) as its board shows it. */
export interface ProjectView {
  /** PVT_… */
  id: string;
  owner: string;
  number: number;
  title: string;
  /** Built-ins first (Title, Assignees, Status, Labels, …), then custom fields. */
  fields: Array<{
    /** PVTF_… / PVTSSF_… */
    id: string;
    name: string;
    dataType: ProjectFieldType;
    options: Array<{ id: string; name: string; color: ProjectOptionColor; description: string }>;
  }>;
  items: Array<{
    /** PVTI_… */
    id: string;
    content: IssueRef & { nodeId: string };
    archived: boolean;
    /** Set values of Status and the custom fields by field name: text, 'YYYY-MM-DD', number, or an option's name. */
    values: Record<string, string | number>;
    /** Single select values by field name: the option id. */
    optionIds: Record<string, string>;
  }>;
}

export interface GitHubStandIn {
  /** REST base, e.g. http://127.0.0.1:43123; GraphQL is POST `${url}/graphql`. */
  readonly url: string;
  close(): Promise<void>;

  addUser(login: string, opts?: { type?: 'User' | 'Bot'; token?: string }): string;
  tokenFor(login: string): string;
  addRepo(fullName: string): void;
  addCollaborator(repo: string, login: string, permission: Permission): void;
  addTeam(org: string, slug: string, members: Array<string | { login: string; state: 'active' | 'pending' }>): void;
  setTeamVisibility(visible: boolean): void;
  addLabelDefinition(repo: string, name: string, color?: string, description?: string): void;
  seedIssue(repo: string, issue: SeedIssue): number;
  seedComment(repo: string, issueNumber: number, comment: { author: string; body: string; createdAt?: Date; pinned?: boolean }): number;

  issue(repo: string, number: number): IssueView;
  issues(repo: string): IssueView[];
  /** GraphQL node ids, for building mutation inputs in tests. */
  /** The repository's labels, as defined. */
  labels(repo: string): Array<{ name: string; color: string; description: string | null }>;
  repoNodeId(repo: string): string;
  labelNodeId(repo: string, name: string): string;
  userNodeId(login: string): string;

  // Projects (v2). Only tokens granted with grantProjects reach a project (over GraphQL): the workflow's default
  // token (any other bot) gets FORBIDDEN 'Resource not accessible by integration'. Board edits send no events.
  /** An organisation's (or a registered user's) project with GitHub's built-in fields (Status unless `status: false`) and `fields`. */
  addProject(owner: string, number: number, title: string, fields?: ProjectFieldSeed[], opts?: { status?: boolean }): string;
  project(owner: string, number: number): ProjectView;
  /** `login`'s token may read and write every project of `owner` (an app installation token with organisation
   *  permission Projects: read and write, or a fine-grained token with access to the projects). */
  grantProjects(login: string, owner: string): void;
  revokeProjects(login: string, owner: string): void;
  /** A person adding the issue on the board (idempotent); answers the item id. */
  addProjectItem(owner: string, number: number, issue: IssueRef, by?: string): string;
  /** A person deleting the issue's item from the board (absent: nothing happens). */
  removeProjectItem(owner: string, number: number, issue: IssueRef): void;
  archiveProjectItem(owner: string, number: number, issue: IssueRef, archived?: boolean): void;
  /** A person editing a cell: text, 'YYYY-MM-DD', a number, or a single select option's name; null clears it. */
  setProjectItemValue(owner: string, number: number, issue: IssueRef, field: string, value: string | number | null, by?: string): void;
  /** A person changing a single select field's options in the board's settings: options keep their ids by name,
   *  new ones get new ids, values of removed options are cleared (unlike updateProjectV2Field, which replaces all). */
  setProjectFieldOptions(owner: string, number: number, field: string, options: string[]): void;

  readonly events: StandInEvent[];
  takeEvents(): StandInEvent[];

  /** See FaultRule (faults.ts): HTTP-level failures, or a GraphQL error on one top-level field (kind 'graphql-error'). */
  fault(rule: FaultRule): void;
  clearFaults(): void;

  /** One entry per HTTP request: a GraphQL mutation document, whatever its number of fields, is one write. */
  readonly requests: RequestLogEntry[];
  resetLog(): void;
  reads(): RequestLogEntry[];
  writes(): RequestLogEntry[];
}

function view(issue: Issue): IssueView {
  const ref = (i: Issue): IssueRef => ({ repo: i.repo.fullName, number: i.number });
  const reactions = (list: Reaction[]): ReactionView[] => list.map((r) => ({ content: r.content, user: r.user.login }));
  return {
    number: issue.number,
    id: issue.id,
    nodeId: issue.nodeId,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    stateReason: issue.stateReason,
    labels: issue.labels.map((l) => l.name),
    assignees: issue.assignees.map((u) => u.login),
    author: issue.author.login,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    closedAt: issue.closedAt,
    comments: issue.comments.map((c) => ({
      id: c.id,
      nodeId: c.nodeId,
      author: c.author.login,
      body: c.body,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      minimized: c.minimized ? minimizedReason(c.minimized.classifier) : null,
      pinned: c.pin !== null,
      reactions: reactions(c.reactions),
    })),
    subIssues: issue.subIssues.map(ref),
    parent: issue.parent ? ref(issue.parent) : null,
    reactions: reactions(issue.reactions),
    duplicateOf: issue.duplicateOf ? ref(issue.duplicateOf) : null,
  };
}

function projectView(project: Project): ProjectView {
  return {
    id: project.nodeId,
    owner: project.owner.login,
    number: project.number,
    title: project.title,
    fields: project.fields.map((f) => ({ id: f.nodeId, name: f.name, dataType: f.dataType, options: f.options.map((o) => ({ ...o })) })),
    items: project.items.map((item) => {
      const values: Record<string, string | number> = {};
      const optionIds: Record<string, string> = {};
      for (const [field, { value }] of item.values) {
        if ('text' in value) values[field.name] = value.text;
        else if ('date' in value) values[field.name] = value.date;
        else if ('number' in value) values[field.name] = value.number;
        else {
          optionIds[field.name] = value.optionId;
          values[field.name] = field.options.find((o) => o.id === value.optionId)?.name ?? value.optionId;
        }
      }
      return {
        id: item.nodeId,
        content: { repo: item.content.repo.fullName, number: item.content.number, nodeId: item.content.nodeId },
        archived: item.archived,
        values,
        optionIds,
      };
    }),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

export interface StandInOptions {
  /** Clock for created_at/updated_at and the request log (default: real time). */
  now?: () => Date;
  /** false: mutations record no webhook events (saves memory in large benchmarks). Default true. */
  recordEvents?: boolean;
}

export async function startGitHubStandIn(opts: StandInOptions = {}): Promise<GitHubStandIn> {
  const world = new World(opts.now ?? (() => new Date()));
  world.recordEvents = opts.recordEvents ?? true;
  const faults = new Faults();
  const log = { requests: [] as RequestLogEntry[] };
  const { server, url } = await startServer({ world, faults, log });
  world.baseUrl = url;

  return {
    url,
    close: () => closeServer(server),

    addUser: (login, o) => world.addUser(login, o),
    tokenFor: (login) => world.tokenFor(login),
    addRepo: (fullName) => {
      world.addRepo(fullName);
    },
    addCollaborator: (repo, login, permission) => world.addCollaborator(repo, login, permission),
    addTeam: (org, slug, members) => {
      world.addTeam(org, slug, members);
    },
    setTeamVisibility: (visible) => {
      world.teamsVisible = visible;
    },
    addLabelDefinition: (repo, name, color, description) => {
      world.addLabelDefinition(repo, name, color, description);
    },
    seedIssue: (repo, issue) => world.seedIssue(repo, issue),
    seedComment: (repo, number, comment) => world.seedComment(repo, number, comment),

    issue: (repo, number) => view(world.requireIssue(repo, number)),
    issues: (repo) => world.requireRepo(repo).issues.map(view),
    labels: (repo) => [...world.requireRepo(repo).labels.values()].map((l) => ({ name: l.name, color: l.color, description: l.description })),
    repoNodeId: (repo) => world.requireRepo(repo).nodeId,
    labelNodeId: (repo, name) => {
      const label = world.requireRepo(repo).labels.get(name.toLowerCase());
      if (!label) throw new Error(`stand-in: no label ${name} in ${repo}`);
      return label.nodeId;
    },
    userNodeId: (login) => {
      const user = world.users.get(login.toLowerCase());
      if (!user) throw new Error(`stand-in: no user ${login}`);
      return user.nodeId;
    },

    addProject: (owner, number, title, fields, o) => world.addProject(owner, number, title, fields, o).nodeId,
    project: (owner, number) => projectView(world.requireProject(owner, number)),
    grantProjects: (login, owner) => world.grantProjects(login, owner),
    revokeProjects: (login, owner) => world.revokeProjects(login, owner),
    addProjectItem: (owner, number, ref, by) => {
      const actor = by ? world.ensureUser(by) : null;
      return world.addProjectItem(actor, world.requireProject(owner, number), world.requireIssue(ref.repo, ref.number)).item.nodeId;
    },
    removeProjectItem: (owner, number, ref) => {
      const project = world.requireProject(owner, number);
      const item = world.itemOf(project, world.requireIssue(ref.repo, ref.number));
      if (item) world.deleteProjectItem(item);
    },
    archiveProjectItem: (owner, number, ref, archived = true) => {
      const project = world.requireProject(owner, number);
      const item = world.itemOf(project, world.requireIssue(ref.repo, ref.number));
      if (!item) throw new Error(`stand-in: ${ref.repo}#${ref.number} is not on project ${number} of ${owner}`);
      item.archived = archived;
    },
    setProjectItemValue: (owner, number, ref, fieldName, value, by) => {
      const project = world.requireProject(owner, number);
      const item = world.itemOf(project, world.requireIssue(ref.repo, ref.number));
      if (!item) throw new Error(`stand-in: ${ref.repo}#${ref.number} is not on project ${number} of ${owner}`);
      const field = project.fields.find((f) => f.name === fieldName);
      if (!field) throw new Error(`stand-in: project ${number} of ${owner} has no field ${fieldName}`);
      if (value === null) {
        world.clearProjectItemValue(item, field);
        return;
      }
      const actor = by ? world.ensureUser(by) : null;
      if (field.dataType === 'SINGLE_SELECT') {
        const option = field.options.find((o) => o.name === value);
        if (!option) throw new Error(`stand-in: field ${fieldName} has no option ${String(value)}`);
        world.setProjectItemValue(actor, item, field, { singleSelectOptionId: option.id });
      } else if (field.dataType === 'DATE') world.setProjectItemValue(actor, item, field, { date: value });
      else if (field.dataType === 'NUMBER') world.setProjectItemValue(actor, item, field, { number: value });
      else world.setProjectItemValue(actor, item, field, { text: value });
    },
    setProjectFieldOptions: (owner, number, fieldName, names) => {
      const project = world.requireProject(owner, number);
      const field = project.fields.find((f) => f.name === fieldName && f.dataType === 'SINGLE_SELECT');
      if (!field) throw new Error(`stand-in: project ${number} of ${owner} has no single select field ${fieldName}`);
      world.setFieldOptionsKeepingIds(field, names);
    },

    get events() {
      return world.events;
    },
    takeEvents: () => {
      const taken = world.events;
      world.events = [];
      return taken;
    },

    fault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),

    get requests() {
      return log.requests;
    },
    resetLog: () => {
      log.requests = [];
    },
    reads: () => log.requests.filter((r) => !r.write),
    writes: () => log.requests.filter((r) => r.write),
  };
}
