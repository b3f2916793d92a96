// The REST routes: a small table of (method, path pattern, handler); handlers read and change the World.
import {
  DOCS,
  StandInError,
  invalidRequest,
  notFound,
  validationFailed,
  type Comment,
  type Issue,
  type IssueState,
  type Label,
  type ReactionContent,
  type Repo,
  type StateReason,
  type User,
} from './model.js';
import { commentJson, issueJson, labelJson, reactionJson, repoJson, teamJson, userJson, type Json } from './serialize.js';
import type { IssuePatch, World } from './state.js';

export interface RestRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  actor: User;
  world: World;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (req: RestRequest, params: string[]) => RestResponse;

const SEG = '([^/]+)';
const NUM = '(\\d+)';
const REPO = `/repos/${SEG}/${SEG}`;

const routes: Array<[string, RegExp, Handler]> = [];
function route(method: string, pattern: string, handler: Handler): void {
  routes.push([method, new RegExp(`^${pattern}/?$`), handler]);
}

export function handleRest(req: RestRequest): RestResponse {
  for (const [method, re, handler] of routes) {
    if (method !== req.method) continue;
    const m = re.exec(req.path);
    if (!m) continue;
    const params = m.slice(1).map((p) => safeDecode(p ?? ''));
    return handler(req, params);
  }
  return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
}

// ---------------------------------------------------------------- helpers

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function lookupRepo(req: RestRequest, owner: string, name: string): Repo {
  const repo = req.world.repo(`${owner}/${name}`);
  if (!repo) throw notFound();
  return repo;
}

function lookupIssue(req: RestRequest, params: string[]): Issue {
  const [owner = '', name = '', num = ''] = params;
  const issue = lookupRepo(req, owner, name).issues[Number(num) - 1];
  if (!issue) throw notFound();
  return issue;
}

function lookupComment(req: RestRequest, params: string[]): Comment {
  const [owner = '', name = '', id = ''] = params;
  const repo = lookupRepo(req, owner, name);
  const comment = req.world.commentsById.get(Number(id));
  if (!comment || comment.issue.repo !== repo) throw notFound();
  return comment;
}

function lookupLabel(repo: Repo, name: string): Label {
  const label = repo.labels.get(name.toLowerCase());
  if (!label) throw notFound();
  return label;
}

function object(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('Invalid input: body must be an object.');
  return body as Record<string, unknown>;
}

function optString(body: Record<string, unknown>, key: string, nullable = false): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (v === null && nullable) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') throw invalidRequest(`For 'properties/${key}', ${JSON.stringify(v)} is not a string.`);
  return v;
}

/** `labels` as GitHub accepts it: names, or objects with a `name`. */
function labelNames(v: unknown, key = 'labels'): string[] | undefined {
  if (v === undefined) return undefined;
  if (v === null) return [];
  if (!Array.isArray(v)) throw invalidRequest(`For 'properties/${key}', ${JSON.stringify(v)} is not an array.`);
  return v.map((item) => {
    if (typeof item === 'string' && item.trim()) return item;
    if (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string') {
      return (item as { name: string }).name;
    }
    throw invalidRequest(`For 'items', ${JSON.stringify(item)} is not a string.`);
  });
}

function logins(v: unknown, key: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw invalidRequest(`For 'properties/${key}', ${JSON.stringify(v)} is not an array of strings.`);
  }
  return v as string[];
}

/** Users for `assignees` on create/update: each must exist, else GitHub's 422. */
function strictAssignees(world: World, names: string[]): User[] {
  return names.map((login) => {
    const user = world.users.get(login.toLowerCase());
    if (!user) throw validationFailed([{ resource: 'Issue', field: 'assignees', code: 'invalid', value: login }]);
    return user;
  });
}

/** Users for the assignees endpoints: unknown logins are ignored, as GitHub does. */
function lenientAssignees(world: World, names: string[]): User[] {
  return names.flatMap((login) => world.users.get(login.toLowerCase()) ?? []);
}

function int(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

function date(req: RestRequest, key: string): Date | undefined {
  const v = req.query[key];
  if (v === undefined || v === '') return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw invalidRequest(`Invalid value for '${key}': ${v}`);
  return d;
}

function oneOf<T extends string>(req: RestRequest, key: string, allowed: readonly T[], fallback: T): T {
  const v = req.query[key];
  if (v === undefined || v === '') return fallback;
  if (!(allowed as readonly string[]).includes(v)) {
    throw validationFailed([{ resource: 'Issue', code: 'invalid', field: key, value: v }]);
  }
  return v as T;
}

/** One page of `items`, with GitHub's Link header (prev, next, last, first). */
function paginate<T>(req: RestRequest, items: readonly T[], map: (item: T) => Json): RestResponse {
  const perPageRaw = int(req.query.per_page);
  const perPage = perPageRaw === undefined || perPageRaw < 1 ? 30 : Math.min(perPageRaw, 100);
  const pageRaw = int(req.query.page);
  const page = pageRaw === undefined || pageRaw < 1 ? 1 : pageRaw;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const start = (page - 1) * perPage;
  const body = start >= items.length ? [] : items.slice(start, start + perPage).map(map);
  const link = (n: number, rel: string) => {
    const params = new URLSearchParams(req.query);
    params.set('page', String(n));
    return `<${req.world.baseUrl}${req.path}?${params.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { status: 200, body, headers: links.length ? { link: links.join(', ') } : {} };
}

const ok = (body: unknown, status = 200): RestResponse => ({ status, body });

// ---------------------------------------------------------------- meta

route('GET', '/rate_limit', (req) => {
  const reset = Math.floor(req.world.now().getTime() / 1000) + 3600;
  const r = (limit: number) => ({ limit, used: 1, remaining: limit - 1, reset });
  return ok({
    resources: { core: r(5000), graphql: r(5000), search: r(30), integration_manifest: r(5000) },
    rate: r(5000),
  });
});

route('GET', '/user', (req) => {
  if (req.actor.type === 'Bot') {
    throw new StandInError(403, { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' });
  }
  return ok(userJson(req.world, req.actor));
});

route('GET', `/users/${SEG}`, (req, [login = '']) => {
  const key = login.toLowerCase();
  const entity = req.world.users.get(key) ?? req.world.orgs.get(key);
  if (!entity) throw notFound();
  return ok(userJson(req.world, entity));
});

// ---------------------------------------------------------------- repositories

route('GET', REPO, (req, [o = '', r = '']) => {
  return ok(repoJson(req.world, lookupRepo(req, o, r)));
});

route('GET', `${REPO}/collaborators/${SEG}/permission`, (req, [o = '', r = '', login = '']) => {
  const repo = lookupRepo(req, o, r);
  const user = req.world.users.get(login.toLowerCase());
  if (!user) throw notFound();
  const role = req.world.roleOf(repo, user.login);
  const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
  const rank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'].indexOf(role);
  return ok({
    permission,
    role_name: role,
    user: {
      ...userJson(req.world, user),
      permissions: { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 },
      role_name: role,
    },
  });
});

route('GET', `${REPO}/collaborators/${SEG}`, (req, [o = '', r = '', login = '']) => {
  const repo = lookupRepo(req, o, r);
  if (req.world.roleOf(repo, login) === 'none') throw notFound();
  return { status: 204 };
});

route('GET', `${REPO}/assignees/${SEG}`, (req, [o = '', r = '', login = '']) => {
  lookupRepo(req, o, r);
  if (!req.world.users.has(login.toLowerCase())) throw notFound();
  return { status: 204 };
});

// ---------------------------------------------------------------- issues

route('GET', `${REPO}/issues`, (req, [o = '', r = '']) => {
  const repo = lookupRepo(req, o, r);
  const state = oneOf(req, 'state', ['open', 'closed', 'all'] as const, 'open');
  const labels = req.query.labels
    ?.split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  const issues = req.world.queryIssues(repo, {
    states: state === 'all' ? [] : [state],
    labelsAll: labels?.length ? labels : undefined,
    since: date(req, 'since'),
    creator: req.query.creator || undefined,
    assignee: req.query.assignee || undefined,
    sort: oneOf(req, 'sort', ['created', 'updated', 'comments'] as const, 'created'),
    direction: oneOf(req, 'direction', ['asc', 'desc'] as const, 'desc'),
  });
  return paginate(req, issues, (i) => issueJson(req.world, i));
});

route('POST', `${REPO}/issues`, (req, [o = '', r = '']) => {
  const repo = lookupRepo(req, o, r);
  const body = object(req.body);
  const title = optString(body, 'title');
  if (title === undefined) throw validationFailed([{ resource: 'Issue', code: 'missing_field', field: 'title' }]);
  const text = optString(body, 'body', true);
  const names = labelNames(body.labels);
  const single = optString(body, 'assignee', true);
  const wanted = logins(body.assignees, 'assignees') ?? (single ? [single] : []);
  const assignees = strictAssignees(req.world, wanted);
  const issue = req.world.createIssue(req.actor, repo, { title, body: text, labelNames: names, assignees });
  return ok(issueJson(req.world, issue), 201);
});

route('GET', `${REPO}/issues/${NUM}`, (req, params) => ok(issueJson(req.world, lookupIssue(req, params))));

route('PATCH', `${REPO}/issues/${NUM}`, (req, params) => {
  const issue = lookupIssue(req, params);
  const body = object(req.body);
  const patch: IssuePatch = {};
  const title = optString(body, 'title');
  if (title !== undefined) patch.title = title;
  const text = optString(body, 'body', true);
  if (text !== undefined) patch.body = text;
  if (body.state !== undefined) {
    if (body.state !== 'open' && body.state !== 'closed') {
      throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state', value: body.state }]);
    }
    patch.state = body.state as IssueState;
  }
  if (body.state_reason !== undefined && body.state_reason !== null) {
    const reasons = ['completed', 'not_planned', 'reopened', 'duplicate'];
    if (typeof body.state_reason !== 'string' || !reasons.includes(body.state_reason)) {
      throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state_reason', value: body.state_reason }]);
    }
    patch.stateReason = body.state_reason as StateReason;
  }
  const names = labelNames(body.labels);
  if (names) patch.labels = names;
  const wanted = logins(body.assignees, 'assignees');
  if (wanted) patch.assignees = strictAssignees(req.world, wanted);
  else if (body.assignee !== undefined) {
    const single = optString(body, 'assignee', true);
    patch.assignees = strictAssignees(req.world, single ? [single] : []);
  }
  req.world.updateIssue(req.actor, issue, patch);
  return ok(issueJson(req.world, issue));
});

// ---------------------------------------------------------------- comments

route('GET', `${REPO}/issues/comments`, (req, [o = '', r = '']) => {
  const repo = lookupRepo(req, o, r);
  const comments = req.world.queryRepoComments(repo, {
    since: date(req, 'since'),
    sort: oneOf(req, 'sort', ['created', 'updated'] as const, 'created'),
    direction: oneOf(req, 'direction', ['asc', 'desc'] as const, 'asc'),
  });
  return paginate(req, comments, (c) => commentJson(req.world, c));
});

route('GET', `${REPO}/issues/comments/${NUM}`, (req, params) => ok(commentJson(req.world, lookupComment(req, params))));

route('PATCH', `${REPO}/issues/comments/${NUM}`, (req, params) => {
  const comment = lookupComment(req, params);
  const text = optString(object(req.body), 'body');
  if (text === undefined) throw validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
  req.world.updateComment(req.actor, comment, text);
  return ok(commentJson(req.world, comment));
});

// Pinning (2026): one pinned comment per issue; 200 with the comment, as GitHub's OpenAPI description says.
route('PUT', `${REPO}/issues/comments/${NUM}/pin`, (req, params) => {
  const comment = lookupComment(req, params);
  req.world.pinComment(req.actor, comment);
  return ok(commentJson(req.world, comment));
});

route('DELETE', `${REPO}/issues/comments/${NUM}/pin`, (req, params) => {
  req.world.unpinComment(lookupComment(req, params));
  return { status: 204 };
});

route('DELETE', `${REPO}/issues/comments/${NUM}`, (req, params) => {
  req.world.deleteComment(req.actor, lookupComment(req, params));
  return { status: 204 };
});

route('GET', `${REPO}/issues/${NUM}/comments`, (req, params) => {
  const issue = lookupIssue(req, params);
  const since = date(req, 'since')?.getTime();
  const comments = since === undefined ? issue.comments : issue.comments.filter((c) => c.updatedAt.getTime() >= since);
  return paginate(req, comments, (c) => commentJson(req.world, c));
});

route('POST', `${REPO}/issues/${NUM}/comments`, (req, params) => {
  const issue = lookupIssue(req, params);
  const text = optString(object(req.body), 'body');
  if (text === undefined) throw validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
  const comment = req.world.createComment(req.actor, issue, text);
  return ok(commentJson(req.world, comment), 201);
});

// ---------------------------------------------------------------- reactions (issues and issue comments)

const REACTIONS: readonly ReactionContent[] = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'];

function reactionContent(v: unknown, field = 'content'): ReactionContent {
  if (typeof v !== 'string' || !(REACTIONS as readonly string[]).includes(v)) {
    throw validationFailed([{ resource: 'Reaction', code: 'custom', field, message: `${field} is not included in the list` }]);
  }
  return v as ReactionContent;
}

function reactionRoutes(prefix: string, subjectOf: (req: RestRequest, params: string[]) => Issue | Comment): void {
  route('GET', `${prefix}/reactions`, (req, params) => {
    const subject = subjectOf(req, params);
    const content = req.query.content ? reactionContent(req.query.content) : undefined;
    const list = content ? subject.reactions.filter((r) => r.content === content) : subject.reactions;
    return paginate(req, list, (r) => reactionJson(req.world, r));
  });
  // 201 for a new reaction, 200 with the existing one when this user already reacted so.
  route('POST', `${prefix}/reactions`, (req, params) => {
    const subject = subjectOf(req, params);
    const { reaction, created } = req.world.addReaction(req.actor, subject, reactionContent(object(req.body).content));
    return ok(reactionJson(req.world, reaction), created ? 201 : 200);
  });
  route('DELETE', `${prefix}/reactions/${NUM}`, (req, params) => {
    const subject = subjectOf(req, params);
    const id = Number(params[3]);
    const reaction = subject.reactions.find((r) => r.id === id);
    if (!reaction) throw notFound();
    req.world.deleteReaction(reaction);
    return { status: 204 };
  });
}

reactionRoutes(`${REPO}/issues/comments/${NUM}`, lookupComment);
reactionRoutes(`${REPO}/issues/${NUM}`, lookupIssue);

// ---------------------------------------------------------------- issue labels

function labelsArg(body: unknown): string[] {
  if (Array.isArray(body)) return labelNames(body) ?? [];
  const names = labelNames(object(body).labels);
  if (!names) throw validationFailed([{ resource: 'Label', code: 'missing_field', field: 'labels' }]);
  return names;
}

const issueLabels = (req: RestRequest, issue: Issue): RestResponse =>
  ok(issue.labels.map((l) => labelJson(req.world, l)));

route('GET', `${REPO}/issues/${NUM}/labels`, (req, params) => {
  const issue = lookupIssue(req, params);
  return paginate(req, issue.labels, (l) => labelJson(req.world, l));
});

route('POST', `${REPO}/issues/${NUM}/labels`, (req, params) => {
  const issue = lookupIssue(req, params);
  req.world.addLabels(req.actor, issue, labelsArg(req.body));
  return issueLabels(req, issue);
});

route('PUT', `${REPO}/issues/${NUM}/labels`, (req, params) => {
  const issue = lookupIssue(req, params);
  req.world.setLabels(req.actor, issue, labelsArg(req.body));
  return issueLabels(req, issue);
});

route('DELETE', `${REPO}/issues/${NUM}/labels`, (req, params) => {
  const issue = lookupIssue(req, params);
  req.world.setLabels(req.actor, issue, []);
  return { status: 204 };
});

route('DELETE', `${REPO}/issues/${NUM}/labels/${SEG}`, (req, params) => {
  const issue = lookupIssue(req, params);
  req.world.removeLabel(req.actor, issue, params[3] ?? '');
  return issueLabels(req, issue);
});

// ---------------------------------------------------------------- assignees

route('POST', `${REPO}/issues/${NUM}/assignees`, (req, params) => {
  const issue = lookupIssue(req, params);
  const names = logins(object(req.body).assignees, 'assignees') ?? [];
  req.world.addAssignees(req.actor, issue, lenientAssignees(req.world, names));
  return ok(issueJson(req.world, issue), 201);
});

route('DELETE', `${REPO}/issues/${NUM}/assignees`, (req, params) => {
  const issue = lookupIssue(req, params);
  const names = logins(object(req.body).assignees, 'assignees') ?? [];
  req.world.removeAssignees(req.actor, issue, lenientAssignees(req.world, names));
  return ok(issueJson(req.world, issue));
});

// ---------------------------------------------------------------- sub-issues

function subIssueArg(req: RestRequest): { sub: Issue; replace: boolean } {
  const body = object(req.body);
  const id = body.sub_issue_id;
  if (typeof id !== 'number') {
    throw validationFailed([{ resource: 'Issue', code: 'missing_field', field: 'sub_issue_id' }]);
  }
  const sub = req.world.issuesById.get(id);
  if (!sub) throw notFound();
  return { sub, replace: body.replace_parent === true };
}

route('GET', `${REPO}/issues/${NUM}/sub_issues`, (req, params) => {
  const issue = lookupIssue(req, params);
  return paginate(req, issue.subIssues, (i) => issueJson(req.world, i));
});

route('POST', `${REPO}/issues/${NUM}/sub_issues`, (req, params) => {
  const parent = lookupIssue(req, params);
  const { sub, replace } = subIssueArg(req);
  req.world.addSubIssue(req.actor, parent, sub, replace);
  return ok(issueJson(req.world, parent), 201);
});

route('DELETE', `${REPO}/issues/${NUM}/sub_issue`, (req, params) => {
  const parent = lookupIssue(req, params);
  const { sub } = subIssueArg(req);
  req.world.removeSubIssue(req.actor, parent, sub);
  return ok(issueJson(req.world, parent));
});

route('GET', `${REPO}/issues/${NUM}/parent`, (req, params) => {
  const issue = lookupIssue(req, params);
  if (!issue.parent) throw notFound();
  return ok(issueJson(req.world, issue.parent));
});

// ---------------------------------------------------------------- repository labels

route('GET', `${REPO}/labels`, (req, [o = '', r = '']) => {
  const repo = lookupRepo(req, o, r);
  return paginate(req, [...repo.labels.values()], (l) => labelJson(req.world, l));
});

route('GET', `${REPO}/labels/${SEG}`, (req, [o = '', r = '', name = '']) =>
  ok(labelJson(req.world, lookupLabel(lookupRepo(req, o, r), name))),
);

route('POST', `${REPO}/labels`, (req, [o = '', r = '']) => {
  const repo = lookupRepo(req, o, r);
  const body = object(req.body);
  const name = optString(body, 'name');
  if (name === undefined) throw validationFailed([{ resource: 'Label', code: 'missing_field', field: 'name' }]);
  const description = body.description === null ? null : optString(body, 'description');
  const label = req.world.createLabel(req.actor, repo, name, optString(body, 'color'), description);
  return ok(labelJson(req.world, label), 201);
});

route('PATCH', `${REPO}/labels/${SEG}`, (req, [o = '', r = '', name = '']) => {
  const label = lookupLabel(lookupRepo(req, o, r), name);
  const body = object(req.body);
  req.world.updateLabel(req.actor, label, {
    newName: optString(body, 'new_name'),
    color: optString(body, 'color'),
    description: body.description === null ? null : optString(body, 'description'),
  });
  return ok(labelJson(req.world, label));
});

route('DELETE', `${REPO}/labels/${SEG}`, (req, [o = '', r = '', name = '']) => {
  req.world.deleteLabel(req.actor, lookupLabel(lookupRepo(req, o, r), name));
  return { status: 204 };
});

// ---------------------------------------------------------------- teams

route('GET', `/orgs/${SEG}/teams/${SEG}`, (req, [org = '', slug = '']) => {
  const team = req.world.team(org, slug);
  if (!team || !req.world.teamsVisible) throw notFound();
  return ok(teamJson(req.world, team));
});

route('GET', `/orgs/${SEG}/teams/${SEG}/memberships/${SEG}`, (req, [org = '', slug = '', login = '']) => {
  const team = req.world.team(org, slug);
  if (!team || !req.world.teamsVisible) throw notFound();
  const state = team.members.get(login.toLowerCase());
  if (!state) throw notFound();
  return ok({ url: `${req.world.baseUrl}/teams/${team.id}/memberships/${login}`, role: 'member', state });
});
