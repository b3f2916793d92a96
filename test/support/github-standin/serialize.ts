// REST JSON shapes (as api.github.com returns them) for the stand-in's objects. Webhook payloads reuse them.
import { iso, minimizedReason, type Comment, type Issue, type Label, type Org, type Reaction, type Repo, type Team, type User } from './model.js';
import type { World } from './state.js';

export type Json = Record<string, unknown>;

function botAppSlug(login: string): string {
  return login.replace(/\[bot\]$/, '');
}

export function userJson(world: World, user: User | Org): Json {
  const base = world.baseUrl;
  const isOrg = !('type' in user);
  const type = isOrg ? 'Organization' : user.type;
  return {
    login: user.login,
    id: user.id,
    node_id: user.nodeId,
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url: `${base}/users/${encodeURIComponent(user.login)}`,
    html_url: type === 'Bot' ? `https://github.com/apps/${botAppSlug(user.login)}` : `https://github.com/${user.login}`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export function repoJson(world: World, repo: Repo): Json {
  const api = `${world.baseUrl}/repos/${repo.fullName}`;
  const owner = world.ownerEntity(repo.owner);
  const open = repo.openCount;
  return {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: repo.fullName,
    private: false,
    owner: userJson(world, owner),
    html_url: `https://github.com/${repo.fullName}`,
    description: null,
    fork: false,
    url: api,
    issues_url: `${api}/issues{/number}`,
    labels_url: `${api}/labels{/name}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    created_at: iso(repo.createdAt),
    updated_at: iso(repo.createdAt),
    pushed_at: iso(repo.createdAt),
    has_issues: true,
    archived: false,
    disabled: false,
    open_issues_count: open,
    open_issues: open,
    default_branch: 'main',
    visibility: 'public',
  };
}

export function labelJson(world: World, label: Label): Json {
  return {
    id: label.id,
    node_id: label.nodeId,
    url: `${world.baseUrl}/repos/${label.repo.fullName}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: false,
    description: label.description,
  };
}

/** OWNER for the repository owner, COLLABORATOR for anyone given a permission, NONE otherwise (O(1)). */
export function authorAssociation(repo: Repo, user: User): string {
  if (user.login.toLowerCase() === repo.owner.toLowerCase()) return 'OWNER';
  if (repo.collaborators.has(user.login.toLowerCase())) return 'COLLABORATOR';
  return 'NONE';
}

export function issueJson(world: World, issue: Issue): Json {
  const api = `${world.baseUrl}/repos/${issue.repo.fullName}`;
  const url = `${api}/issues/${issue.number}`;
  const total = issue.subIssues.length;
  let completed = 0;
  for (const s of issue.subIssues) if (s.state === 'closed') completed++;
  const assignees = issue.assignees.map((u) => userJson(world, u));
  return {
    url,
    repository_url: api,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `https://github.com/${issue.repo.fullName}/issues/${issue.number}`,
    id: issue.id,
    node_id: issue.nodeId,
    number: issue.number,
    title: issue.title,
    user: userJson(world, issue.author),
    labels: issue.labels.map((l) => labelJson(world, l)),
    state: issue.state,
    locked: false,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    comments: issue.comments.length,
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    closed_at: issue.closedAt ? iso(issue.closedAt) : null,
    closed_by: issue.closedBy ? userJson(world, issue.closedBy) : null,
    author_association: authorAssociation(issue.repo, issue.author),
    active_lock_reason: null,
    sub_issues_summary: {
      total,
      completed,
      percent_completed: total === 0 ? 0 : Math.floor((completed * 100) / total),
    },
    parent_issue_url: issue.parent ? `${world.baseUrl}/repos/${issue.parent.repo.fullName}/issues/${issue.parent.number}` : null,
    // GitHub answers null, not '', for an issue without a description.
    body: issue.body === '' ? null : issue.body,
    reactions: reactionRollup(`${url}/reactions`, issue.reactions),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    state_reason: issue.stateReason,
    pinned_comment: ((c) => (c ? commentJson(world, c) : null))(issue.comments.find((c) => c.pin !== null)),
  };
}

export function commentJson(world: World, comment: Comment): Json {
  const issue = comment.issue;
  const api = `${world.baseUrl}/repos/${issue.repo.fullName}`;
  return {
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${issue.repo.fullName}/issues/${issue.number}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${issue.number}`,
    id: comment.id,
    node_id: comment.nodeId,
    user: userJson(world, comment.author),
    created_at: iso(comment.createdAt),
    updated_at: iso(comment.updatedAt),
    author_association: authorAssociation(issue.repo, comment.author),
    body: comment.body,
    reactions: reactionRollup(`${api}/issues/comments/${comment.id}/reactions`, comment.reactions),
    performed_via_github_app: null,
    // Both are in GitHub's OpenAPI description of an issue comment.
    pin: comment.pin ? { pinned_at: iso(comment.pin.at), pinned_by: userJson(world, comment.pin.by) } : null,
    minimized: comment.minimized ? { reason: minimizedReason(comment.minimized.classifier) } : null,
  };
}

export function teamJson(world: World, team: Team): Json {
  const org = world.ownerEntity(team.org);
  return {
    id: team.id,
    node_id: team.nodeId,
    url: `${world.baseUrl}/organizations/${org.id}/team/${team.id}`,
    html_url: `https://github.com/orgs/${team.org}/teams/${team.slug}`,
    name: team.slug,
    slug: team.slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${world.baseUrl}/organizations/${org.id}/team/${team.id}/members{/member}`,
    parent: null,
    members_count: team.members.size,
    organization: { ...userJson(world, org), login: org.login },
  };
}

function reactionRollup(url: string, list: readonly Reaction[]): Json {
  const out: Json = { url, total_count: list.length, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
  for (const r of list) out[r.content] = (out[r.content] as number) + 1;
  return out;
}

export function reactionJson(world: World, reaction: Reaction): Json {
  return {
    id: reaction.id,
    node_id: reaction.nodeId,
    user: userJson(world, reaction.user),
    content: reaction.content,
    created_at: iso(reaction.createdAt),
  };
}
