// The GitHub port over Octokit: one GraphQL query reads everything a decision needs; writes are
// small REST deltas (labels and assignees are added or removed one by one, never replaced).
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import type { RepoRef } from '../process/settings.js';
import type { IssueTarget } from '../process/settings.js';
import { sameLogin } from '../process/logins.js';
import type { CommentView, TransferRequestView } from '../process/engagement-read.js';
import type {
  CommentListItem,
  EngagementSnapshot,
  GitHub,
  IssueListItem,
  LabelDefinition,
  OpenTransferRequest,
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
   * 'github' (default) spaces writes as GitHub asks (1 s; 3 s for content that notifies people).
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

const COMMENT = 'databaseId body createdAt url author { login }';
const TRANSFER = `number body state url author { login } repository { name owner { login } } labels(first: 20) { nodes { name } } comments(last: 100) { nodes { ${COMMENT} } }`;

// The GraphQL documents the adapter sends (test/graphql-schema.test.ts validates each against GitHub's schema).
export const VIEWER = 'query Viewer { viewer { login } }';
/** Everything a decision needs, in one request; `assignees` users' node ids as aliases a0, a1, …. */
export function readEngagementQuery(assignees: number): string {
  return `query ReadEngagement($owner: String!, $name: String!, $number: Int!, $assignOwner: String!, $assignName: String!, $transferLabel: String!${Array.from({ length: assignees }, (_, i) => `, $a${i}: String!`).join('')}) {
  viewer { login }
  repository(owner: $owner, name: $name) {
    issue(number: $number) {
      id number title body state stateReason url
      author { login }
      labels(first: 100) { nodes { name } }
      assignees(first: 100) { nodes { login } }
      comments(last: 100) { pageInfo { hasPreviousPage } nodes { ${COMMENT} } }
      subIssues(first: 50) { nodes { ${TRANSFER} } }
    }
  }
  assignmentRepository: repository(owner: $assignOwner, name: $assignName) { id label(name: $transferLabel) { id } }
${Array.from({ length: assignees }, (_, i) => `  a${i}: user(login: $a${i}) { id }`).join('\n')}
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
export const OPEN_TRANSFER_REQUEST = `mutation OpenTransferRequest($input: CreateIssueInput!) { createIssue(input: $input) { issue { number url } } }`;

interface CommentNode {
  databaseId: number;
  body: string;
  createdAt: string;
  url: string;
  author: { login: string } | null;
}
interface TransferNode {
  number: number;
  body: string;
  state: 'OPEN' | 'CLOSED';
  url: string;
  author: { login: string } | null;
  repository: { name: string; owner: { login: string } };
  labels: { nodes: Array<{ name: string }> } | null;
  comments: { nodes: CommentNode[] };
  parent?: { number: number; repository: { name: string; owner: { login: string } } } | null;
}

function toComment(node: CommentNode, viewer: string): CommentView {
  const author = node.author?.login ?? 'ghost';
  return { id: node.databaseId, author, byBot: sameLogin(author, viewer), body: node.body, createdAt: node.createdAt, url: node.url };
}

function toTransfer(node: TransferNode, viewer: string): TransferRequestSnapshot {
  return {
    repo: { owner: node.repository.owner.login, name: node.repository.name },
    number: node.number,
    url: node.url,
    state: node.state === 'OPEN' ? 'open' : 'closed',
    comments: node.comments.nodes.map((c) => toComment(c, viewer)),
    body: node.body,
    author: node.author?.login ?? 'ghost',
    labels: (node.labels?.nodes ?? []).map((l) => l.name),
    parent: node.parent ? { repo: { owner: node.parent.repository.owner.login, name: node.parent.repository.name }, number: node.parent.number } : null,
  };
}

/** A GraphQL answer with errors still carries the data that resolved; keep it and the error paths. */
async function graphqlPartial<T>(octokit: Octokit, query: string, variables: Record<string, unknown>): Promise<{ data: T; missing: string[] }> {
  try {
    return { data: await octokit.graphql<T>(query, variables), missing: [] };
  } catch (error) {
    const e = error as { name?: string; data?: T; errors?: Array<{ type?: string; path?: Array<string | number> }> };
    if (e.name === 'GraphqlResponseError' && e.data && (e.errors ?? []).every((x) => x.type === 'NOT_FOUND')) {
      return { data: e.data, missing: (e.errors ?? []).map((x) => (x.path ?? []).join('.')) };
    }
    throw error;
  }
}

function isStatus(error: unknown, ...statuses: number[]): boolean {
  return typeof error === 'object' && error !== null && 'status' in error && statuses.includes((error as { status: number }).status);
}

interface RestIssue {
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

/** What the ReadEngagement query answers. */
interface EngagementAnswer {
  viewer: { login: string };
  repository: {
    issue: {
      id: string;
      number: number;
      title: string;
      body: string;
      state: 'OPEN' | 'CLOSED';
      stateReason: 'COMPLETED' | 'NOT_PLANNED' | 'REOPENED' | 'DUPLICATE' | null;
      url: string;
      author: { login: string } | null;
      labels: { nodes: Array<{ name: string }> } | null;
      assignees: { nodes: Array<{ login: string }> };
      comments: { pageInfo: { hasPreviousPage: boolean }; nodes: CommentNode[] };
      subIssues: { nodes: TransferNode[] };
    } | null;
  } | null;
  assignmentRepository: { id: string; label: { id: string } | null } | null;
  [alias: string]: unknown;
}

type IssueNode = NonNullable<NonNullable<EngagementAnswer['repository']>['issue']>;

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

  async readEngagement(repo: RepoRef, number: number, options: { assignmentRepo: RepoRef; transferLabel: string; assignees: string[] }): Promise<EngagementSnapshot | null> {
    const query = readEngagementQuery(options.assignees.length);
    const variables: Record<string, unknown> = {
      owner: repo.owner,
      name: repo.name,
      number,
      assignOwner: options.assignmentRepo.owner,
      assignName: options.assignmentRepo.name,
      transferLabel: options.transferLabel,
    };
    options.assignees.forEach((login, i) => (variables[`a${i}`] = login));

    const { data } = await graphqlPartial<EngagementAnswer>(this.octokit, query, variables);
    const issue = data.repository?.issue;
    if (!issue) return null;
    const viewer = data.viewer.login;
    const assignees: Record<string, string | null> = {};
    options.assignees.forEach((login, i) => (assignees[login] = (data[`a${i}`] as { id: string } | null)?.id ?? null));
    return {
      viewer,
      issue: issueOf(repo, issue),
      comments: issue.comments.nodes.map((c) => toComment(c, viewer)),
      commentsComplete: !issue.comments.pageInfo.hasPreviousPage,
      subIssueTransferRequests: issue.subIssues.nodes.map((n) => toTransfer(n, viewer)),
      ids: {
        assignmentRepo: data.assignmentRepository?.id ?? null,
        transferLabel: data.assignmentRepository?.label?.id ?? null,
        assignees,
      },
    };
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
      return { id: c.id, author, byBot: sameLogin(author, viewer), body: c.body ?? '', createdAt: c.created_at, url: c.html_url };
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

  async updateIssue(target: IssueTarget, patch: { body?: string; state?: 'open' | 'closed'; stateReason?: 'completed' | 'not_planned' | 'reopened' }): Promise<void> {
    await this.octokit.rest.issues.update({
      owner: target.repo.owner,
      repo: target.repo.name,
      issue_number: target.number,
      ...(patch.body !== undefined ? { body: patch.body } : {}),
      ...(patch.state !== undefined ? { state: patch.state } : {}),
      ...(patch.stateReason !== undefined ? { state_reason: patch.stateReason } : {}),
    });
  }

  async createComment(target: IssueTarget, body: string): Promise<{ id: number; url: string }> {
    const { data } = await this.octokit.rest.issues.createComment({ owner: target.repo.owner, repo: target.repo.name, issue_number: target.number, body });
    return { id: data.id, url: data.html_url };
  }

  async addLabels(target: IssueTarget, labels: string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({ owner: target.repo.owner, repo: target.repo.name, issue_number: target.number, labels });
  }

  async deleteComment(repo: RepoRef, commentId: number): Promise<void> {
    try {
      await this.octokit.rest.issues.deleteComment({ owner: repo.owner, repo: repo.name, comment_id: commentId });
    } catch (error) {
      if (!isStatus(error, 404)) throw error; // deleted already, by a run that saw the same copy
    }
  }

  async removeLabel(target: IssueTarget, label: string): Promise<void> {
    try {
      await this.octokit.rest.issues.removeLabel({ owner: target.repo.owner, repo: target.repo.name, issue_number: target.number, name: label });
    } catch (error) {
      if (!isStatus(error, 404)) throw error; // already removed, by someone else or an earlier run
    }
  }

  async addAssignees(target: IssueTarget, logins: string[]): Promise<string[]> {
    const { data } = await this.octokit.rest.issues.addAssignees({ owner: target.repo.owner, repo: target.repo.name, issue_number: target.number, assignees: logins });
    return (data.assignees ?? []).map((a) => a.login);
  }

  async removeAssignees(target: IssueTarget, logins: string[]): Promise<void> {
    await this.octokit.rest.issues.removeAssignees({ owner: target.repo.owner, repo: target.repo.name, issue_number: target.number, assignees: logins });
  }

  async openTransferRequest(request: OpenTransferRequest, ids: EngagementSnapshot['ids']): Promise<TransferRequestView> {
    let labelId = ids.transferLabel;
    if (labelId === null && ids.assignmentRepo !== null) {
      labelId = await this.ensureLabel(request.repo, request.labels[0] as string);
    }
    if (ids.assignmentRepo === null || labelId === null) {
      // Without node ids (e.g. a token that cannot read the repository's GraphQL), fall back to REST.
      const { data } = await this.octokit.rest.issues.create({
        owner: request.repo.owner,
        repo: request.repo.name,
        title: request.title,
        body: request.body,
        labels: request.labels,
        assignees: request.assignees,
      });
      return { repo: request.repo, number: data.number, url: data.html_url, state: 'open', comments: [] };
    }
    const assigneeIds = request.assignees.map((login) => ids.assignees[login]).filter((id): id is string => typeof id === 'string');
    const mutation = OPEN_TRANSFER_REQUEST;
    const input: Record<string, unknown> = { repositoryId: ids.assignmentRepo, title: request.title, body: request.body, labelIds: [labelId], assigneeIds };
    if (request.parent) input.parentIssueId = request.parent.nodeId;
    const data = await this.octokit.graphql<{ createIssue: { issue: { number: number; url: string } } }>(mutation, { input });
    return { repo: request.repo, number: data.createIssue.issue.number, url: data.createIssue.issue.url, state: 'open', comments: [] };
  }

  private async ensureLabel(repo: RepoRef, name: string): Promise<string | null> {
    try {
      const { data } = await this.octokit.rest.issues.createLabel({ owner: repo.owner, repo: repo.name, name, color: 'fbca04' });
      return data.node_id;
    } catch (error) {
      if (!isStatus(error, 422)) throw error;
      const { data } = await this.octokit.rest.issues.getLabel({ owner: repo.owner, repo: repo.name, name });
      return data.node_id;
    }
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
