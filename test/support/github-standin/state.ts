// The stand-in's world: users, repositories, issues, comments, labels, teams, and every mutation the REST and
// GraphQL front ends share (so both produce the same state changes and webhook events).
import { createHash, randomBytes } from 'node:crypto';
import {
  StandInError,
  notFound,
  validationFailed,
  type Comment,
  type Issue,
  type IssueState,
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
  type ProjectValue,
  type Reaction,
  type ReactionContent,
  type Repo,
  type StandInEvent,
  type StateReason,
  type Team,
  type User,
} from './model.js';
import { issueCommentEvent, issuesEvent, labelEvent } from './webhooks.js';

export const MAX_BODY_CHARS = 65536;
export const MAX_SUB_ISSUES = 100;

/** GitHub counts characters (code points), not UTF-16 units. */
export function tooLong(text: string): boolean {
  if (text.length <= MAX_BODY_CHARS) return false;
  let n = 0;
  for (const _ of text) if (++n > MAX_BODY_CHARS) return true;
  return false;
}

export function bodyTooLong(resource: 'Issue' | 'IssueComment'): never {
  throw validationFailed([
    { resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${MAX_BODY_CHARS} characters)` },
  ]);
}

function makeNodeId(prefix: string, id: number): string {
  return `${prefix}_${Buffer.from(`04:${prefix}${id}`).toString('base64url')}`;
}

export interface IssueFilter {
  states: IssueState[]; // empty = all
  labelsAll?: string[]; // REST `labels`: every one must be on the issue
  labelsAny?: string[]; // GraphQL `labels`: any one
  since?: Date; // updatedAt >= since
  creator?: string;
  assignee?: string; // login, '*' (any), 'none'
  sort: 'created' | 'updated' | 'comments';
  direction: 'asc' | 'desc';
}

export interface IssuePatch {
  title?: string;
  body?: string;
  state?: IssueState;
  stateReason?: StateReason | null;
  labels?: string[];
  assignees?: User[];
  /** With state 'closed' and reason 'duplicate' (GraphQL closeIssue's duplicateIssueId). */
  duplicateOf?: Issue | null;
}

const RANK: Record<Permission | 'none', number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export class World {
  baseUrl = 'http://127.0.0.1';
  teamsVisible = true;
  /** Off: no payloads are built or kept (for benchmarks that do not look at events). */
  recordEvents = true;
  events: StandInEvent[] = [];
  readonly users = new Map<string, User>();
  readonly tokens = new Map<string, User>();
  readonly orgs = new Map<string, Org>();
  readonly repos = new Map<string, Repo>();
  readonly issuesById = new Map<number, Issue>();
  readonly commentsById = new Map<number, Comment>();
  readonly nodes = new Map<string, NodeRef>();
  readonly teams = new Map<string, Team>();
  /** Keyed by `${owner login lower-cased}#${number}`. */
  readonly projects = new Map<string, Project>();
  /** Owner login (lower-cased) -> logins (lower-cased) whose tokens may read and write that owner's projects. */
  readonly projectGrants = new Map<string, Set<string>>();
  private seq = {
    user: 10_000,
    repo: 500_000,
    team: 40_000,
    label: 700_000_000,
    issue: 900_000_000,
    comment: 1_500_000_000,
    reaction: 200_000_000,
    project: 3_000,
    projectField: 60_000_000,
    projectItem: 80_000_000,
    option: 0,
  };

  constructor(readonly now: () => Date) {}

  // ------------------------------------------------------------------ setup

  addUser(login: string, opts: { type?: 'User' | 'Bot'; token?: string } = {}): string {
    const existing = this.users.get(login.toLowerCase());
    if (existing) {
      if (opts.type && opts.type !== existing.type) {
        this.nodes.delete(existing.nodeId);
        existing.type = opts.type;
        existing.nodeId = makeNodeId(opts.type === 'Bot' ? 'BOT' : 'U', existing.id);
        this.nodes.set(existing.nodeId, { kind: 'user', value: existing });
      }
      if (opts.token && opts.token !== existing.token) {
        this.tokens.delete(existing.token);
        existing.token = opts.token;
        this.tokens.set(opts.token, existing);
      }
      return existing.token;
    }
    const type = opts.type ?? 'User';
    const id = ++this.seq.user;
    const token = opts.token ?? `${type === 'Bot' ? 'ghs' : 'ghp'}_${randomBytes(18).toString('hex')}`;
    if (this.tokens.has(token)) throw new Error(`stand-in: token already belongs to ${this.tokens.get(token)?.login}`);
    const user: User = { login, id, nodeId: makeNodeId(type === 'Bot' ? 'BOT' : 'U', id), type, token };
    this.users.set(login.toLowerCase(), user);
    this.tokens.set(token, user);
    this.nodes.set(user.nodeId, { kind: 'user', value: user });
    return token;
  }

  /** A user for setup calls (seed authors, collaborators): created as a plain user when unknown. */
  ensureUser(login: string): User {
    if (!this.users.has(login.toLowerCase())) this.addUser(login);
    return this.users.get(login.toLowerCase()) as User;
  }

  tokenFor(login: string): string {
    const user = this.users.get(login.toLowerCase());
    if (!user) throw new Error(`stand-in: no user ${login}`);
    return user.token;
  }

  /** The repository owner: a registered user, else an organisation (created on first use). */
  ownerEntity(login: string): User | Org {
    const key = login.toLowerCase();
    const user = this.users.get(key);
    if (user) return user;
    let org = this.orgs.get(key);
    if (!org) {
      const id = ++this.seq.user;
      org = { login, id, nodeId: makeNodeId('O', id) };
      this.orgs.set(key, org);
      this.nodes.set(org.nodeId, { kind: 'org', value: org });
    }
    return org;
  }

  addRepo(fullName: string): Repo {
    const [owner, name, ...rest] = fullName.split('/');
    if (!owner || !name || rest.length) throw new Error(`stand-in: repository must be 'owner/name', got '${fullName}'`);
    const existing = this.repos.get(fullName.toLowerCase());
    if (existing) return existing;
    if (!this.users.has(owner.toLowerCase())) this.ownerEntity(owner);
    const id = ++this.seq.repo;
    const repo: Repo = {
      owner,
      name,
      fullName,
      id,
      nodeId: makeNodeId('R', id),
      createdAt: this.now(),
      labels: new Map(),
      issues: [],
      comments: [],
      openCount: 0,
      collaborators: new Map(),
      version: 0,
      listCache: new Map(),
    };
    this.repos.set(fullName.toLowerCase(), repo);
    this.nodes.set(repo.nodeId, { kind: 'repo', value: repo });
    return repo;
  }

  repo(fullName: string): Repo | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  requireRepo(fullName: string): Repo {
    const repo = this.repo(fullName);
    if (!repo) throw new Error(`stand-in: no repository ${fullName} (call addRepo first)`);
    return repo;
  }

  requireIssue(fullName: string, number: number): Issue {
    const issue = this.requireRepo(fullName).issues[number - 1];
    if (!issue) throw new Error(`stand-in: no issue ${fullName}#${number}`);
    return issue;
  }

  addCollaborator(fullName: string, login: string, permission: Permission): void {
    this.ensureUser(login);
    this.requireRepo(fullName).collaborators.set(login.toLowerCase(), permission);
  }

  /** Role on the repository: the owner is admin, collaborators have their role, everybody else none. */
  roleOf(repo: Repo, login: string): Permission | 'none' {
    if (login.toLowerCase() === repo.owner.toLowerCase()) return 'admin';
    return repo.collaborators.get(login.toLowerCase()) ?? 'none';
  }

  /**
   * Whether `user` holds at least `needed` on `repo`, for the checks GraphQL mutations make (the REST routes make
   * none). A role given with addCollaborator counts as is; a bot without one acts like the workflow's GITHUB_TOKEN
   * (an app installation with write access to issues); any other user has what a public repository grants
   * everybody: read (comment, react, edit their own issues and comments).
   */
  hasAccess(repo: Repo, user: User, needed: Permission): boolean {
    let role = this.roleOf(repo, user.login);
    if (role === 'none') role = user.type === 'Bot' ? 'write' : 'read';
    return RANK[role] >= RANK[needed];
  }

  addTeam(org: string, slug: string, members: Array<string | { login: string; state: 'active' | 'pending' }>): Team {
    const owner = this.ownerEntity(org);
    const key = `${owner.login.toLowerCase()}/${slug.toLowerCase()}`;
    let team = this.teams.get(key);
    if (!team) {
      const id = ++this.seq.team;
      team = { id, nodeId: makeNodeId('T', id), org: owner.login, slug, members: new Map() };
      this.teams.set(key, team);
    }
    team.members.clear();
    for (const m of members) {
      if (typeof m === 'string') team.members.set(m.toLowerCase(), 'active');
      else team.members.set(m.login.toLowerCase(), m.state);
    }
    return team;
  }

  team(org: string, slug: string): Team | undefined {
    return this.teams.get(`${org.toLowerCase()}/${slug.toLowerCase()}`);
  }

  addLabelDefinition(fullName: string, name: string, color = 'ededed', description?: string): Label {
    const repo = this.requireRepo(fullName);
    const existing = repo.labels.get(name.toLowerCase());
    if (existing) {
      existing.color = normaliseColor(color) ?? existing.color;
      if (description !== undefined) existing.description = description;
      return existing;
    }
    return this.newLabel(repo, name, normaliseColor(color) ?? 'ededed', description ?? null);
  }

  seedIssue(
    fullName: string,
    seed: {
      title: string;
      body: string;
      author: string;
      labels?: string[];
      assignees?: string[];
      state?: IssueState;
      createdAt?: Date;
      updatedAt?: Date;
    },
  ): number {
    const repo = this.requireRepo(fullName);
    const createdAt = seed.createdAt ?? this.now();
    const issue = this.newIssue(repo, this.ensureUser(seed.author), seed.title, seed.body, createdAt);
    issue.updatedAt = seed.updatedAt ?? createdAt;
    for (const name of seed.labels ?? []) {
      const label = repo.labels.get(name.toLowerCase()) ?? this.newLabel(repo, name, 'ededed', null);
      if (!issue.labels.includes(label)) issue.labels.push(label);
    }
    for (const login of seed.assignees ?? []) {
      const user = this.ensureUser(login);
      if (!issue.assignees.includes(user)) issue.assignees.push(user);
    }
    if (seed.state === 'closed') {
      issue.state = 'closed';
      issue.stateReason = 'completed';
      issue.closedAt = issue.updatedAt;
      repo.openCount--;
    }
    return issue.number;
  }

  seedComment(fullName: string, number: number, seed: { author: string; body: string; createdAt?: Date; pinned?: boolean }): number {
    const issue = this.requireIssue(fullName, number);
    const at = seed.createdAt ?? this.now();
    const comment = this.newComment(issue, this.ensureUser(seed.author), seed.body, at);
    if (seed.pinned) comment.pin = { at, by: comment.author };
    if (at > issue.updatedAt) issue.updatedAt = at;
    return comment.id;
  }

  // ------------------------------------------------------------------ internals

  /** Records an event, building its payload now (a snapshot), unless recording is switched off. */
  private emit(build: () => StandInEvent): void {
    if (this.recordEvents) this.events.push(build());
  }

  private changed(repo: Repo): void {
    repo.version++;
  }

  private newLabel(repo: Repo, name: string, color: string, description: string | null): Label {
    const id = ++this.seq.label;
    const label: Label = { id, nodeId: makeNodeId('LA', id), repo, name, color, description };
    repo.labels.set(name.toLowerCase(), label);
    this.nodes.set(label.nodeId, { kind: 'label', value: label });
    this.changed(repo);
    return label;
  }

  private newIssue(repo: Repo, author: User, title: string, body: string, at: Date): Issue {
    const id = ++this.seq.issue;
    const issue: Issue = {
      repo,
      number: repo.issues.length + 1,
      id,
      nodeId: makeNodeId('I', id),
      title,
      body,
      state: 'open',
      stateReason: null,
      labels: [],
      assignees: [],
      author,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      closedBy: null,
      comments: [],
      subIssues: [],
      parent: null,
      reactions: [],
      duplicateOf: null,
    };
    repo.issues.push(issue);
    repo.openCount++;
    this.issuesById.set(id, issue);
    this.nodes.set(issue.nodeId, { kind: 'issue', value: issue });
    this.changed(repo);
    return issue;
  }

  private newComment(issue: Issue, author: User, body: string, at: Date): Comment {
    const id = ++this.seq.comment;
    const comment: Comment = {
      id,
      nodeId: makeNodeId('IC', id),
      issue,
      author,
      body,
      createdAt: at,
      updatedAt: at,
      reactions: [],
      minimized: null,
      pin: null,
    };
    issue.comments.push(comment);
    issue.repo.comments.push(comment);
    this.commentsById.set(id, comment);
    this.nodes.set(comment.nodeId, { kind: 'comment', value: comment });
    this.changed(issue.repo);
    return comment;
  }

  /** Existing labels by name (case-insensitive); unknown names are created, as GitHub does. */
  private labelsByName(actor: User, repo: Repo, names: string[]): Label[] {
    const out: Label[] = [];
    for (const name of names) {
      let label = repo.labels.get(name.toLowerCase());
      if (!label) {
        const created = this.newLabel(repo, name, 'ededed', null);
        this.emit(() => labelEvent(this, 'created', created, actor));
        label = created;
      }
      if (!out.includes(label)) out.push(label);
    }
    return out;
  }

  private applyLabels(actor: User, issue: Issue, wanted: Label[]): void {
    const removed = issue.labels.filter((l) => !wanted.includes(l));
    const added = wanted.filter((l) => !issue.labels.includes(l));
    if (!removed.length && !added.length) return;
    this.touch(issue);
    for (const label of removed) {
      issue.labels.splice(issue.labels.indexOf(label), 1);
      this.emit(() => issuesEvent(this, 'unlabeled', issue, actor, { label }));
    }
    for (const label of added) {
      issue.labels.push(label);
      this.emit(() => issuesEvent(this, 'labeled', issue, actor, { label }));
    }
  }

  private applyAssignees(actor: User, issue: Issue, wanted: User[]): void {
    const removed = issue.assignees.filter((u) => !wanted.includes(u));
    const added = wanted.filter((u, i) => !issue.assignees.includes(u) && wanted.indexOf(u) === i);
    if (!removed.length && !added.length) return;
    this.touch(issue);
    for (const user of removed) {
      issue.assignees.splice(issue.assignees.indexOf(user), 1);
      this.emit(() => issuesEvent(this, 'unassigned', issue, actor, { assignee: user }));
    }
    for (const user of added) {
      // GitHub keeps at most 10 assignees and ignores the rest.
      if (issue.assignees.length >= 10) break;
      issue.assignees.push(user);
      this.emit(() => issuesEvent(this, 'assigned', issue, actor, { assignee: user }));
    }
  }

  private touch(issue: Issue, at: Date = this.now()): void {
    issue.updatedAt = at;
    this.changed(issue.repo);
  }

  /** Throws the 422 GitHub gives when `sub` cannot become a sub-issue of `parent`. */
  checkSubIssue(parent: Issue, sub: Issue, replaceParent: boolean): void {
    const fail = (message: string): never => {
      throw validationFailed([{ resource: 'Issue', code: 'custom', field: 'sub_issue_id', message }]);
    };
    if (parent === sub) fail('An issue cannot be a sub-issue of itself');
    if (parent.repo.owner.toLowerCase() !== sub.repo.owner.toLowerCase()) {
      fail('Sub-issues must belong to a repository with the same owner as the parent issue');
    }
    if (sub.parent && !replaceParent) fail('Sub issue may only have one parent');
    if (sub.parent === parent) fail('Sub issue is already a sub-issue of this issue');
    if (parent.subIssues.length >= MAX_SUB_ISSUES) fail(`Parent issue cannot have more than ${MAX_SUB_ISSUES} sub-issues`);
    for (let p: Issue | null = parent; p; p = p.parent) if (p === sub) fail('Adding this sub-issue would create a cycle');
  }

  // ------------------------------------------------------------------ mutations (emit events)

  createIssue(
    actor: User,
    repo: Repo,
    input: { title: string; body?: string; labelNames?: string[]; labels?: Label[]; assignees?: User[]; parent?: Issue },
  ): Issue {
    if (!input.title.trim()) {
      throw validationFailed([{ resource: 'Issue', code: 'missing_field', field: 'title' }]);
    }
    const body = input.body ?? '';
    if (tooLong(body)) bodyTooLong('Issue');
    if (input.parent) {
      // Validate against a placeholder with the new issue's repository before anything changes (atomicity).
      const probe = { repo, parent: null } as unknown as Issue;
      this.checkSubIssue(input.parent, probe, false);
    }
    const now = this.now();
    const labels = [...(input.labels ?? []), ...this.labelsByName(actor, repo, input.labelNames ?? [])];
    const issue = this.newIssue(repo, actor, input.title, body, now);
    for (const l of labels) if (!issue.labels.includes(l)) issue.labels.push(l);
    for (const u of input.assignees ?? []) if (!issue.assignees.includes(u) && issue.assignees.length < 10) issue.assignees.push(u);
    if (input.parent) this.linkSubIssue(input.parent, issue, now);
    this.emit(() => issuesEvent(this, 'opened', issue, actor));
    for (const label of issue.labels) this.emit(() => issuesEvent(this, 'labeled', issue, actor, { label }));
    for (const assignee of issue.assignees) this.emit(() => issuesEvent(this, 'assigned', issue, actor, { assignee }));
    return issue;
  }

  updateIssue(actor: User, issue: Issue, patch: IssuePatch): Issue {
    if (patch.title !== undefined && !patch.title.trim()) {
      throw validationFailed([{ resource: 'Issue', code: 'missing_field', field: 'title' }]);
    }
    if (patch.body !== undefined && tooLong(patch.body)) bodyTooLong('Issue');
    if (patch.state === 'closed' && patch.stateReason === 'reopened') {
      throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state_reason', value: 'reopened' }]);
    }
    const changes: { title?: { from: string }; body?: { from: string } } = {};
    if (patch.title !== undefined && patch.title !== issue.title) {
      changes.title = { from: issue.title };
      issue.title = patch.title;
    }
    if (patch.body !== undefined && patch.body !== issue.body) {
      changes.body = { from: issue.body };
      issue.body = patch.body;
    }
    if (changes.title || changes.body) {
      this.touch(issue);
      this.emit(() => issuesEvent(this, 'edited', issue, actor, { changes }));
    }
    const reason = patch.stateReason ?? undefined;
    if (patch.state === 'closed' && issue.state === 'open') {
      this.touch(issue);
      issue.state = 'closed';
      issue.stateReason = reason ?? 'completed';
      issue.closedAt = issue.updatedAt;
      issue.closedBy = actor;
      issue.duplicateOf = issue.stateReason === 'duplicate' ? (patch.duplicateOf ?? null) : null;
      issue.repo.openCount--;
      this.emit(() => issuesEvent(this, 'closed', issue, actor));
    } else if (patch.state === 'open' && issue.state === 'closed') {
      this.touch(issue);
      issue.state = 'open';
      issue.stateReason = 'reopened';
      issue.closedAt = null;
      issue.closedBy = null;
      issue.duplicateOf = null;
      issue.repo.openCount++;
      this.emit(() => issuesEvent(this, 'reopened', issue, actor));
    } else if (issue.state === 'closed' && reason && reason !== 'reopened' && reason !== issue.stateReason) {
      this.touch(issue);
      issue.stateReason = reason;
      issue.duplicateOf = reason === 'duplicate' ? (patch.duplicateOf ?? null) : null;
    } else if (issue.state === 'closed' && reason === 'duplicate' && patch.duplicateOf && patch.duplicateOf !== issue.duplicateOf) {
      issue.duplicateOf = patch.duplicateOf;
      this.changed(issue.repo);
    }
    if (patch.labels) this.applyLabels(actor, issue, this.labelsByName(actor, issue.repo, patch.labels));
    if (patch.assignees) this.applyAssignees(actor, issue, patch.assignees);
    return issue;
  }

  addLabels(actor: User, issue: Issue, names: string[]): void {
    const wanted = this.labelsByName(actor, issue.repo, names);
    this.applyLabels(actor, issue, [...issue.labels, ...wanted.filter((l) => !issue.labels.includes(l))]);
  }

  setLabels(actor: User, issue: Issue, names: string[]): void {
    this.applyLabels(actor, issue, this.labelsByName(actor, issue.repo, names));
  }

  /** GraphQL removeLabelsFromLabelable: labels not on the issue are ignored. */
  removeLabels(actor: User, issue: Issue, labels: Label[]): void {
    this.applyLabels(
      actor,
      issue,
      issue.labels.filter((l) => !labels.includes(l)),
    );
  }

  removeLabel(actor: User, issue: Issue, name: string): void {
    const label = issue.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
    if (!label) throw notFound('Label does not exist');
    this.applyLabels(
      actor,
      issue,
      issue.labels.filter((l) => l !== label),
    );
  }

  addAssignees(actor: User, issue: Issue, users: User[]): void {
    this.applyAssignees(actor, issue, [...issue.assignees, ...users]);
  }

  removeAssignees(actor: User, issue: Issue, users: User[]): void {
    this.applyAssignees(
      actor,
      issue,
      issue.assignees.filter((u) => !users.includes(u)),
    );
  }

  createComment(actor: User, issue: Issue, body: string): Comment {
    if (!body.trim()) throw validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
    if (tooLong(body)) bodyTooLong('IssueComment');
    const now = this.now();
    const comment = this.newComment(issue, actor, body, now);
    this.touch(issue, now);
    this.emit(() => issueCommentEvent(this, 'created', comment, actor));
    return comment;
  }

  updateComment(actor: User, comment: Comment, body: string): Comment {
    if (!body.trim()) throw validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
    if (tooLong(body)) bodyTooLong('IssueComment');
    if (body === comment.body) return comment;
    const from = comment.body;
    comment.body = body;
    comment.updatedAt = this.now();
    this.changed(comment.issue.repo);
    this.emit(() => issueCommentEvent(this, 'edited', comment, actor, { body: { from } }));
    return comment;
  }

  deleteComment(actor: User, comment: Comment): void {
    const { issue } = comment;
    issue.comments.splice(issue.comments.indexOf(comment), 1);
    issue.repo.comments.splice(issue.repo.comments.indexOf(comment), 1);
    this.commentsById.delete(comment.id);
    this.nodes.delete(comment.nodeId);
    for (const reaction of comment.reactions) this.nodes.delete(reaction.nodeId);
    this.changed(issue.repo);
    this.emit(() => issueCommentEvent(this, 'deleted', comment, actor));
  }

  /** Pins a comment at the top of its issue; the issue's comment pinned before is unpinned (one at a time). */
  pinComment(actor: User, comment: Comment): void {
    for (const other of comment.issue.comments) if (other !== comment) other.pin = null;
    comment.pin = { at: this.now(), by: actor };
    this.touch(comment.issue);
  }

  unpinComment(comment: Comment): void {
    comment.pin = null;
  }

  /** Hides a comment (no webhook: GitHub sends none for it); minimizing again replaces the reason. */
  minimizeComment(actor: User, comment: Comment, classifier: MinimizeClassifier): void {
    comment.minimized = { classifier, by: actor };
    this.changed(comment.issue.repo);
  }

  unminimizeComment(_actor: User, comment: Comment): void {
    if (!comment.minimized) return;
    comment.minimized = null;
    this.changed(comment.issue.repo);
  }

  /**
   * A reaction of `actor` to an issue or comment; the same user adding the same content again changes nothing and
   * gets the existing reaction (`created: false`). Reactions send no webhook and leave `updated_at` alone.
   */
  addReaction(actor: User, subject: Issue | Comment, content: ReactionContent): { reaction: Reaction; created: boolean } {
    const existing = subject.reactions.find((r) => r.user === actor && r.content === content);
    if (existing) return { reaction: existing, created: false };
    const id = ++this.seq.reaction;
    const reaction: Reaction = { id, nodeId: makeNodeId('REA', id), subject, user: actor, content, createdAt: this.now() };
    subject.reactions.push(reaction);
    this.nodes.set(reaction.nodeId, { kind: 'reaction', value: reaction });
    this.changed(repoOf(subject));
    return { reaction, created: true };
  }

  /** Removes `actor`'s reaction of `content` (GraphQL removeReaction); absent is no error. */
  removeReaction(actor: User, subject: Issue | Comment, content: ReactionContent): Reaction | undefined {
    const existing = subject.reactions.find((r) => r.user === actor && r.content === content);
    if (existing) this.deleteReaction(existing);
    return existing;
  }

  deleteReaction(reaction: Reaction): void {
    const list = reaction.subject.reactions;
    const at = list.indexOf(reaction);
    if (at < 0) return;
    list.splice(at, 1);
    this.nodes.delete(reaction.nodeId);
    this.changed(repoOf(reaction.subject));
  }

  private linkSubIssue(parent: Issue, sub: Issue, at: Date): void {
    if (sub.parent) {
      const siblings = sub.parent.subIssues;
      siblings.splice(siblings.indexOf(sub), 1);
      this.touch(sub.parent, at);
    }
    parent.subIssues.push(sub);
    sub.parent = parent;
    this.touch(parent, at);
  }

  addSubIssue(_actor: User, parent: Issue, sub: Issue, replaceParent = false): void {
    this.checkSubIssue(parent, sub, replaceParent);
    this.linkSubIssue(parent, sub, this.now());
  }

  removeSubIssue(_actor: User, parent: Issue, sub: Issue): void {
    if (sub.parent !== parent) throw notFound();
    parent.subIssues.splice(parent.subIssues.indexOf(sub), 1);
    sub.parent = null;
    this.touch(parent);
  }

  createLabel(actor: User, repo: Repo, name: string, color?: string, description?: string | null): Label {
    if (!name.trim()) throw validationFailed([{ resource: 'Label', code: 'missing_field', field: 'name' }]);
    if (repo.labels.has(name.toLowerCase())) {
      throw validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }]);
    }
    const hex = color === undefined ? 'ededed' : normaliseColor(color);
    if (!hex) throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'color' }]);
    const label = this.newLabel(repo, name, hex, description ?? null);
    this.emit(() => labelEvent(this, 'created', label, actor));
    return label;
  }

  updateLabel(actor: User, label: Label, patch: { newName?: string; color?: string; description?: string | null }): Label {
    const repo = label.repo;
    const changes: Record<string, { from: string | null }> = {};
    if (patch.newName !== undefined && patch.newName !== label.name) {
      const clash = repo.labels.get(patch.newName.toLowerCase());
      if (clash && clash !== label) throw validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }]);
      if (!patch.newName.trim()) throw validationFailed([{ resource: 'Label', code: 'missing_field', field: 'name' }]);
      changes.name = { from: label.name };
      repo.labels.delete(label.name.toLowerCase());
      label.name = patch.newName;
      repo.labels.set(label.name.toLowerCase(), label);
    }
    if (patch.color !== undefined) {
      const hex = normaliseColor(patch.color);
      if (!hex) throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'color' }]);
      if (hex !== label.color) {
        changes.color = { from: label.color };
        label.color = hex;
      }
    }
    if (patch.description !== undefined && patch.description !== label.description) {
      changes.description = { from: label.description };
      label.description = patch.description;
    }
    if (Object.keys(changes).length) {
      this.changed(repo);
      this.emit(() => labelEvent(this, 'edited', label, actor, changes));
    }
    return label;
  }

  deleteLabel(actor: User, label: Label): void {
    const repo = label.repo;
    repo.labels.delete(label.name.toLowerCase());
    this.nodes.delete(label.nodeId);
    for (const issue of repo.issues) {
      const at = issue.labels.indexOf(label);
      if (at >= 0) issue.labels.splice(at, 1);
    }
    this.changed(repo);
    this.emit(() => labelEvent(this, 'deleted', label, actor));
  }

  // ------------------------------------------------------------------ Projects (v2)

  /**
   * A project owned by an organisation or a user (`ownerEntity`), with GitHub's built-in fields (Title, Assignees,
   * Status unless `status: false`, Labels, …) followed by `fields`.
   */
  addProject(owner: string, number: number, title: string, fields: ProjectFieldSeed[] = [], opts: { status?: boolean } = {}): Project {
    const entity = this.ownerEntity(owner);
    const key = `${entity.login.toLowerCase()}#${number}`;
    if (this.projects.has(key)) throw new Error(`stand-in: ${owner} already has project ${number}`);
    if (!Number.isInteger(number) || number < 1) throw new Error(`stand-in: a project number is a positive integer, got ${number}`);
    const id = ++this.seq.project;
    const now = this.now();
    const project: Project = { id, nodeId: makeNodeId('PVT', id), owner: entity, number, title, fields: [], items: [], createdAt: now, updatedAt: now };
    this.projects.set(key, project);
    this.nodes.set(project.nodeId, { kind: 'project', value: project });
    for (const [name, dataType] of BUILT_IN_FIELDS) {
      if (name === 'Status') {
        if (opts.status !== false) this.newProjectField(project, 'Status', 'SINGLE_SELECT', DEFAULT_STATUS);
      } else this.newProjectField(project, name, dataType, []);
    }
    for (const f of fields) {
      const options = (f.options ?? []).map((o) => (typeof o === 'string' ? { name: o } : o));
      this.createProjectField(project, f.name, f.dataType, f.dataType === 'SINGLE_SELECT' ? options : undefined);
    }
    return project;
  }

  project(owner: string, number: number): Project | undefined {
    return this.projects.get(`${owner.toLowerCase()}#${number}`);
  }

  requireProject(owner: string, number: number): Project {
    const project = this.project(owner, number);
    if (!project) throw new Error(`stand-in: no project ${number} of ${owner} (call addProject first)`);
    return project;
  }

  grantProjects(login: string, owner: string): void {
    const key = owner.toLowerCase();
    const set = this.projectGrants.get(key) ?? new Set<string>();
    set.add(login.toLowerCase());
    this.projectGrants.set(key, set);
  }

  revokeProjects(login: string, owner: string): void {
    this.projectGrants.get(owner.toLowerCase())?.delete(login.toLowerCase());
  }

  /** Whether `user`'s token may read and write the projects of `owner` (only grantProjects gives that). */
  mayUseProjects(user: User, owner: string): boolean {
    return this.projectGrants.get(owner.toLowerCase())?.has(user.login.toLowerCase()) ?? false;
  }

  private newProjectField(project: Project, name: string, dataType: ProjectFieldType, options: ProjectOptionSeed[]): ProjectField {
    const id = ++this.seq.projectField;
    const now = this.now();
    const field: ProjectField = {
      id,
      nodeId: makeNodeId(dataType === 'SINGLE_SELECT' ? 'PVTSSF' : 'PVTF', id),
      project,
      name,
      dataType,
      options: options.map((o) => this.newOption(o)),
      createdAt: now,
      updatedAt: now,
    };
    project.fields.push(field);
    this.nodes.set(field.nodeId, { kind: 'projectField', value: field });
    return field;
  }

  private newOption(o: ProjectOptionSeed): ProjectOption {
    const id = createHash('sha1').update(`option:${++this.seq.option}`).digest('hex').slice(0, 8);
    return { id, name: o.name, color: o.color ?? 'GRAY', description: o.description ?? '' };
  }

  /** createProjectV2Field: a custom field; names are unique (case-insensitively) and may not be a built-in's. */
  createProjectField(project: Project, name: string, dataType: ProjectFieldType, options?: ProjectOptionSeed[]): ProjectField {
    if (!name.trim()) throw unprocessable("Name can't be blank");
    if (BUILT_IN_FIELDS.some(([n]) => n !== 'Status' && n.toLowerCase() === name.trim().toLowerCase())) throw unprocessable('Name cannot have a reserved value');
    if (project.fields.some((f) => f.name.toLowerCase() === name.trim().toLowerCase())) throw unprocessable('Name has already been taken');
    if (!['TEXT', 'DATE', 'NUMBER', 'SINGLE_SELECT'].includes(dataType)) throw unprocessable(`The stand-in cannot create a ${dataType} field`);
    if (dataType === 'SINGLE_SELECT' && !options?.length) throw unprocessable('Single select fields must have at least one option');
    if (dataType !== 'SINGLE_SELECT' && options?.length) throw unprocessable('Only single select fields can have options');
    const field = this.newProjectField(project, name.trim(), dataType, options ?? []);
    project.updatedAt = field.createdAt;
    return field;
  }

  /**
   * updateProjectV2Field: a new name and/or a new list of options. As on GitHub, the list replaces the old one
   * whole: every option gets a new id (even one of the same name) and values that pointed at an old option are
   * gone (the items show no value for the field).
   */
  updateProjectField(field: ProjectField, patch: { name?: string; options?: ProjectOptionSeed[] }): ProjectField {
    const project = field.project;
    if (!CUSTOM_TYPES.has(field.dataType)) throw unprocessable('Built-in fields cannot be updated');
    if (patch.options && field.dataType !== 'SINGLE_SELECT') throw unprocessable('Only single select fields can have options');
    if (patch.options && !patch.options.length) throw unprocessable('Single select fields must have at least one option');
    if (patch.name !== undefined) {
      const name = patch.name.trim();
      if (!name) throw unprocessable("Name can't be blank");
      if (project.fields.some((f) => f !== field && f.name.toLowerCase() === name.toLowerCase())) throw unprocessable('Name has already been taken');
      field.name = name;
    }
    if (patch.options) {
      field.options = patch.options.map((o) => this.newOption(o));
      for (const item of project.items) item.values.delete(field);
    }
    field.updatedAt = this.now();
    project.updatedAt = field.updatedAt;
    return field;
  }

  /** The board's option editor: options of a kept name keep their id, new names get new ids, values of dropped options go. */
  setFieldOptionsKeepingIds(field: ProjectField, names: string[]): void {
    field.options = names.map((name) => field.options.find((o) => o.name === name) ?? this.newOption({ name }));
    const ids = new Set(field.options.map((o) => o.id));
    for (const item of field.project.items) {
      const v = item.values.get(field)?.value;
      if (v && 'optionId' in v && !ids.has(v.optionId)) item.values.delete(field);
    }
    field.updatedAt = this.now();
  }

  itemOf(project: Project, issue: Issue): ProjectItem | undefined {
    return project.items.find((i) => i.content === issue);
  }

  /** addProjectV2ItemById: an issue already on the project gives its existing item (`created: false`). */
  addProjectItem(actor: User | null, project: Project, issue: Issue): { item: ProjectItem; created: boolean } {
    const existing = this.itemOf(project, issue);
    if (existing) return { item: existing, created: false };
    const id = ++this.seq.projectItem;
    const now = this.now();
    const item: ProjectItem = {
      id,
      nodeId: makeNodeId('PVTI', id),
      project,
      content: issue,
      archived: false,
      creator: actor,
      values: new Map(),
      createdAt: now,
      updatedAt: now,
    };
    project.items.push(item);
    project.updatedAt = now;
    this.nodes.set(item.nodeId, { kind: 'projectItem', value: item });
    return { item, created: true };
  }

  deleteProjectItem(item: ProjectItem): void {
    const list = item.project.items;
    const at = list.indexOf(item);
    if (at < 0) return;
    list.splice(at, 1);
    this.nodes.delete(item.nodeId);
    item.project.updatedAt = this.now();
  }

  /** updateProjectV2ItemFieldValue's checks: the value must be of the field's kind (an option of the field, a YYYY-MM-DD date). */
  setProjectItemValue(actor: User | null, item: ProjectItem, field: ProjectField, value: Partial<Record<'text' | 'date' | 'singleSelectOptionId' | 'number' | 'iterationId', unknown>>): void {
    if (field.project !== item.project) throw new StandInError(404, { message: 'The field does not belong to the project' }, 'NOT_FOUND');
    let stored: ProjectValue;
    const given = (k: string) => value[k as keyof typeof value] !== undefined && value[k as keyof typeof value] !== null;
    switch (field.dataType) {
      case 'TEXT':
        if (!given('text')) throw unprocessable('Did not receive a text value to update a field of type text');
        stored = { text: String(value.text) };
        break;
      case 'DATE': {
        if (!given('date')) throw unprocessable('Did not receive a date value to update a field of type date');
        const date = String(value.date);
        if (!isDate(date)) throw unprocessable(`Could not coerce value "${date}" to Date`);
        stored = { date };
        break;
      }
      case 'NUMBER':
        if (!given('number') || typeof value.number !== 'number') throw unprocessable('Did not receive a number value to update a field of type number');
        stored = { number: value.number };
        break;
      case 'SINGLE_SELECT': {
        if (!given('singleSelectOptionId')) throw unprocessable('Did not receive a single select option Id to update a field of type single_select');
        const optionId = String(value.singleSelectOptionId);
        if (!field.options.some((o) => o.id === optionId)) throw unprocessable('The single select option Id does not belong to the field');
        stored = { optionId };
        break;
      }
      default:
        throw unprocessable(`The field of type ${field.dataType.toLowerCase()} cannot be updated with this mutation`);
    }
    const now = this.now();
    const old = item.values.get(field);
    item.values.set(field, { value: stored, createdAt: old?.createdAt ?? now, updatedAt: now, creator: old?.creator ?? actor });
    item.updatedAt = now;
    item.project.updatedAt = now;
  }

  clearProjectItemValue(item: ProjectItem, field: ProjectField): void {
    if (field.project !== item.project) throw new StandInError(404, { message: 'The field does not belong to the project' }, 'NOT_FOUND');
    if (!CUSTOM_TYPES.has(field.dataType)) throw unprocessable(`The field of type ${field.dataType.toLowerCase()} cannot be cleared with this mutation`);
    if (!item.values.delete(field)) return;
    item.updatedAt = this.now();
    item.project.updatedAt = item.updatedAt;
  }

  /** Every item of `issue`, over all projects (Issue.projectItems), in project creation order. */
  itemsOfIssue(issue: Issue): ProjectItem[] {
    const out: ProjectItem[] = [];
    for (const project of this.projects.values()) {
      const item = this.itemOf(project, issue);
      if (item) out.push(item);
    }
    return out;
  }

  // ------------------------------------------------------------------ queries (cached per repository version)

  private cached<T>(repo: Repo, key: string, compute: () => T[]): T[] {
    const hit = repo.listCache.get(key);
    if (hit && hit.version === repo.version) return hit.items as T[];
    if (repo.listCache.size > 64) repo.listCache.clear();
    const items = compute();
    repo.listCache.set(key, { version: repo.version, items });
    return items;
  }

  queryIssues(repo: Repo, f: IssueFilter): Issue[] {
    const key = JSON.stringify({ ...f, since: f.since?.getTime() });
    return this.cached(repo, `i:${key}`, () => {
      const states = new Set(f.states);
      const all = f.labelsAll?.map((l) => l.toLowerCase());
      const any = f.labelsAny?.map((l) => l.toLowerCase());
      const since = f.since?.getTime();
      const creator = f.creator?.toLowerCase();
      const assignee = f.assignee?.toLowerCase();
      const hasLabel = (i: Issue, name: string) => i.labels.some((l) => l.name.toLowerCase() === name);
      const out = repo.issues.filter(
        (i) =>
          (states.size === 0 || states.has(i.state)) &&
          (since === undefined || i.updatedAt.getTime() >= since) &&
          (!all || all.every((n) => hasLabel(i, n))) &&
          (!any || any.length === 0 || any.some((n) => hasLabel(i, n))) &&
          (!creator || i.author.login.toLowerCase() === creator) &&
          (!assignee ||
            (assignee === '*'
              ? i.assignees.length > 0
              : assignee === 'none'
                ? i.assignees.length === 0
                : i.assignees.some((u) => u.login.toLowerCase() === assignee))),
      );
      const sign = f.direction === 'asc' ? 1 : -1;
      const value =
        f.sort === 'updated'
          ? (i: Issue) => i.updatedAt.getTime()
          : f.sort === 'comments'
            ? (i: Issue) => i.comments.length
            : (i: Issue) => i.createdAt.getTime();
      return out.sort((a, b) => sign * (value(a) - value(b) || a.number - b.number));
    });
  }

  queryRepoComments(repo: Repo, f: { since?: Date; sort: 'created' | 'updated'; direction: 'asc' | 'desc' }): Comment[] {
    const key = `c:${f.since?.getTime()}:${f.sort}:${f.direction}`;
    return this.cached(repo, key, () => {
      const since = f.since?.getTime();
      const out = since === undefined ? repo.comments.slice() : repo.comments.filter((c) => c.updatedAt.getTime() >= since);
      const sign = f.direction === 'asc' ? 1 : -1;
      if (f.sort === 'updated') out.sort((a, b) => sign * (a.updatedAt.getTime() - b.updatedAt.getTime() || a.id - b.id));
      else if (sign < 0) out.reverse();
      return out;
    });
  }
}

export interface ProjectOptionSeed {
  name: string;
  color?: ProjectOptionColor;
  description?: string;
}

export interface ProjectFieldSeed {
  name: string;
  dataType: 'TEXT' | 'DATE' | 'NUMBER' | 'SINGLE_SELECT';
  /** Single select: option names, or names with a colour and description. */
  options?: Array<string | ProjectOptionSeed>;
}

/** The fields a new project has, in GitHub's order (Status is a default single select one may delete). */
const BUILT_IN_FIELDS: ReadonlyArray<readonly [string, ProjectFieldType]> = [
  ['Title', 'TITLE'],
  ['Assignees', 'ASSIGNEES'],
  ['Status', 'SINGLE_SELECT'],
  ['Labels', 'LABELS'],
  ['Linked pull requests', 'LINKED_PULL_REQUESTS'],
  ['Milestone', 'MILESTONE'],
  ['Repository', 'REPOSITORY'],
  ['Reviewers', 'REVIEWERS'],
  ['Parent issue', 'PARENT_ISSUE'],
  ['Sub-issues progress', 'SUB_ISSUES_PROGRESS'],
];
const DEFAULT_STATUS: ProjectOptionSeed[] = [
  { name: 'Todo', color: 'GREEN', description: 'This item hasn\'t been started' },
  { name: 'In Progress', color: 'YELLOW', description: 'This is actively being worked on' },
  { name: 'Done', color: 'PURPLE', description: 'This has been completed' },
];
/** Fields whose values the item-value mutations set and clear. */
const CUSTOM_TYPES = new Set<ProjectFieldType>(['TEXT', 'DATE', 'NUMBER', 'SINGLE_SELECT']);

function unprocessable(message: string): StandInError {
  return new StandInError(422, { message }, 'UNPROCESSABLE');
}

/** GitHub's Date scalar: an ISO-8601 calendar date, YYYY-MM-DD, that exists. */
export function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function repoOf(subject: Issue | Comment): Repo {
  return 'issue' in subject ? subject.issue.repo : subject.repo;
}

export function normaliseColor(color: string): string | undefined {
  const hex = color.replace(/^#/, '');
  return /^[0-9a-fA-F]{6}$/.test(hex) ? hex.toLowerCase() : undefined;
}
