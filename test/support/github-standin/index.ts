// A stateful GitHub stand-in: REST + GraphQL over node:http on 127.0.0.1, for Octokit clients used unchanged.
//
//   const gh = await startGitHubStandIn();
//   const token = gh.addUser('engagement-bot[bot]', { type: 'Bot' });
//   gh.addRepo('acme/tickets');
//   const octokit = new Octokit({ auth: token, baseUrl: gh.url });   // GraphQL: POST `${gh.url}/graphql`
import type { Server } from 'node:http';
import { Faults, type FaultRule } from './faults.js';
import { minimizedReason, type Issue, type Permission, type Reaction, type StandInEvent } from './model.js';
import { startServer, type RequestLogEntry } from './server.js';
import { World } from './state.js';

export type { FaultRule } from './faults.js';
export type { GraphqlInfo } from './graphql.js';
export type { StandInEvent, Permission, ReactionContent } from './model.js';
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
