// Webhook payloads shaped like GitHub's deliveries (see @octokit/webhooks-examples): the top-level keys and their
// order follow the examples; the values are the stand-in's own objects at the moment of the event.
import type { Comment, Issue, Label, Repo, StandInEvent, User } from './model.js';
import { commentJson, issueJson, labelJson, repoJson, userJson, type Json } from './serialize.js';
import type { World } from './state.js';

function tail(world: World, repo: Repo, actor: User): Json {
  const out: Json = { repository: repoJson(world, repo) };
  const org = world.orgs.get(repo.owner.toLowerCase());
  if (org && !world.users.has(repo.owner.toLowerCase())) {
    out.organization = { login: org.login, id: org.id, node_id: org.nodeId, url: `${world.baseUrl}/orgs/${org.login}` };
  }
  out.sender = userJson(world, actor);
  return out;
}

export type IssuesExtra =
  | { label: Label }
  | { assignee: User }
  | { changes: { title?: { from: string }; body?: { from: string } } }
  | Record<string, never>;

export function issuesEvent(world: World, action: string, issue: Issue, actor: User, extra: IssuesExtra = {}): StandInEvent {
  const payload: Json = { action, issue: issueJson(world, issue) };
  if ('label' in extra) payload.label = labelJson(world, extra.label);
  if ('assignee' in extra) payload.assignee = userJson(world, extra.assignee);
  if ('changes' in extra) payload.changes = extra.changes;
  Object.assign(payload, tail(world, issue.repo, actor));
  return { name: 'issues', action, actor: actor.login, payload, repo: issue.repo.fullName };
}

export function issueCommentEvent(
  world: World,
  action: 'created' | 'edited' | 'deleted',
  comment: Comment,
  actor: User,
  changes?: { body: { from: string } },
): StandInEvent {
  const payload: Json = { action };
  if (changes) payload.changes = changes;
  payload.issue = issueJson(world, comment.issue);
  payload.comment = commentJson(world, comment);
  Object.assign(payload, tail(world, comment.issue.repo, actor));
  return { name: 'issue_comment', action, actor: actor.login, payload, repo: comment.issue.repo.fullName };
}

export function labelEvent(
  world: World,
  action: 'created' | 'edited' | 'deleted',
  label: Label,
  actor: User,
  changes?: Record<string, { from: string | null }>,
): StandInEvent {
  const payload: Json = { action, label: labelJson(world, label) };
  if (changes) payload.changes = changes;
  Object.assign(payload, tail(world, label.repo, actor));
  return { name: 'label', action, actor: actor.login, payload, repo: label.repo.fullName };
}
