// Reads what a decision needs about one engagement, fresh from GitHub: the issue and its recent
// comments (one GraphQL query), its transfer request, and the verdict on every unanswered
// `/queue-moved`. Nothing here decides; it gathers.
import { authorise } from './authorise.js';
import type { Config } from '../process/settings.js';
import { confirmationCommands, unansweredCommands } from '../process/confirmation.js';
import type { IssueTarget } from '../process/settings.js';
import { parseEngagement } from '../process/frontmatter.js';
import type { EngagementSnapshot, GitHub, ReadOptions, TransferRequestSnapshot } from './port.js';
import { issueKey } from './mutation.js';
import { sameLogin } from '../process/logins.js';
import { keys, markersIn } from '../process/markers.js';
import type { CommentView, ConfirmationAttempt, EngagementRead, Trigger } from '../process/engagement-read.js';
import { stepIndex, type Playbook } from '../process/playbook.js';

export interface ReadForDecision {
  read: EngagementRead;
  snapshot: EngagementSnapshot;
}

/** `#12` or `owner/repo#12` → the issue it names, relative to `from`. */
export function parseIssueRef(ref: string, from: IssueTarget['repo']): IssueTarget | null {
  const match = /^(?:([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+))?#(\d+)$/.exec(ref.trim());
  if (!match) return null;
  return { repo: match[1] && match[2] ? { owner: match[1], name: match[2] } : from, number: Number(match[3]) };
}

export function engagementRef(target: IssueTarget): string {
  return `${target.repo.owner}/${target.repo.name}#${target.number}`;
}

/** The engagement a transfer request was opened for: its parent, or the marker the bot wrote. */
export function engagementOfTransferRequest(request: TransferRequestSnapshot, viewer: string): IssueTarget | null {
  if (sameLogin(request.author, viewer)) {
    for (const key of markersIn(request.body)) {
      const ref = /^transfer-request-for\/(.+)$/.exec(key)?.[1];
      const target = ref ? parseIssueRef(ref, request.repo) : null;
      if (target) return target;
    }
  }
  return request.parent;
}

function isRequestFor(request: TransferRequestSnapshot, engagement: IssueTarget, viewer: string): boolean {
  return sameLogin(request.author, viewer) && markersIn(request.body).includes(keys.transferRequestFor(engagementRef(engagement)));
}

/** What a read asks for besides the engagement: the node ids its plan may need. */
/** `fms`: the FMs the plans may assign, as far as they are known before the read. */
export function readOptions(config: Config, fms: Array<string | null>, commandAuthors: string[] = []): ReadOptions {
  const team = config.assignmentTeam;
  return {
    assignmentRepo: config.assignmentRepo,
    transferLabel: config.labels['queue-transfer'],
    assignees: config.assignmentAssignees,
    addableLabels: [config.labels.stalled],
    assignable: [...new Set(fms.filter((fm): fm is string => fm !== null))],
    ...(team && commandAuthors.length > 0 ? { confirmers: { org: team.org, slug: team.slug, logins: commandAuthors } } : {}),
    // The board rides in the same read when the same token reaches it.
    ...(config.project && (config.projectToken === null || config.projectToken === config.token) ? { board: config.project } : {}),
  };
}

/** The FM a copy of the body names (an event's payload): whom the plan may assign. */
function fmOf(body: string | null | undefined, config: Config): string | null {
  if (!body) return null;
  const parsed = parseEngagement(body, config.playbooks);
  return parsed.ok ? parsed.fields.fm : null;
}

/**
 * Reads one engagement for a decision. `hint` is a copy of its body (the event's payload), used
 * only to ask for the node ids a plan may need; the decision reads the body fresh.
 */
export async function readForDecision(gh: GitHub, config: Config, engagement: IssueTarget, trigger: Trigger, hint?: string | null): Promise<ReadForDecision | null> {
  // The author of the command that woke the run up is looked for in the team in the same read.
  const authors = trigger.kind === 'issue_comment' ? [trigger.sender] : [];
  const snapshot = await gh.readEngagement(engagement.repo, engagement.number, readOptions(config, [fmOf(hint, config)], authors));
  return snapshot ? completeReading(gh, config, snapshot, engagement, trigger) : null;
}

/** Several engagements of the configured repository read at once (the scan, before it writes). */
export async function readManyForDecision(gh: GitHub, config: Config, items: Array<{ nodeId: string; number: number; fm: string | null }>): Promise<Array<ReadForDecision | null>> {
  const snapshots = await gh.readEngagements(config.repo, items.map((i) => i.nodeId), readOptions(config, items.map((i) => i.fm)));
  const readings: Array<ReadForDecision | null> = [];
  for (const [i, snapshot] of snapshots.entries()) {
    const item = items[i];
    readings.push(snapshot && item ? await completeReading(gh, config, snapshot, { repo: config.repo, number: item.number }, { kind: 'scan' }) : null);
  }
  return readings;
}

/** What the engagement's read leaves out: older comments when needed, the transfer request, verdicts on commands. */
async function completeReading(gh: GitHub, config: Config, snapshot: EngagementSnapshot, engagement: IssueTarget, trigger: Trigger): Promise<ReadForDecision> {
  const { viewer } = snapshot;
  const parsed = parseEngagement(snapshot.issue.body, config.playbooks);
  const bot = parsed.ok ? parsed.bot : null;

  // The newest hundred comments nearly always reach back to the start of the current step.
  let comments: CommentView[] = snapshot.comments;
  const oldest = comments[0];
  if (!snapshot.commentsComplete && bot && oldest && oldest.createdAt > bot.step_since) {
    comments = await gh.readAllComments(engagement, viewer);
  }

  // Every request opened for the engagement (overlapping runs can open two): the oldest is kept.
  const found = await findTransferRequests(gh, config, snapshot, engagement, bot?.transfer?.request ?? null, bot !== null && parsed.ok && nearHandoff(parsed.playbook, bot.step));
  const requests = await Promise.all(found.map((r) => withAllComments(gh, r, viewer)));
  const [transferRequest = null, ...duplicates] = requests;

  const attempts: ConfirmationAttempt[] = [];
  // An engagement answers its own playbook's command (any known one while its front-matter is unreadable).
  const commands = parsed.ok ? [parsed.playbook.handoff.command] : confirmationCommands(config);
  const candidates = [
    ...unansweredCommands(comments, commands).map((c) => ({ ...c, on: 'engagement' as const, repo: engagement.repo, request: null })),
    // A command on any of them counts, the duplicates' included.
    ...requests.flatMap((r) => unansweredCommands(r.comments ?? [], commands).map((c) => ({ ...c, on: 'transfer-request' as const, repo: r.repo, request: { repo: r.repo, number: r.number } }))),
  ].sort((a, b) => a.comment.createdAt.localeCompare(b.comment.createdAt));
  for (const candidate of candidates) {
    attempts.push({
      commentId: candidate.comment.id,
      nodeId: candidate.comment.nodeId,
      on: candidate.on,
      ...(candidate.request ? { request: candidate.request } : {}),
      author: candidate.comment.author,
      createdAt: candidate.comment.createdAt,
      url: candidate.comment.url,
      queue: candidate.queue,
      authorisation: await authorise(candidate.comment.author, candidate.repo, config, gh, snapshot.activeTeamMembers),
    });
  }

  for (const r of requests) snapshot.nodeIds.issues[issueKey(r)] = r.nodeId;
  return {
    snapshot,
    read: { issue: snapshot.issue, comments, transferRequest, duplicateRequests: duplicates, confirmations: attempts, trigger, ...boardSeen(snapshot) },
  };
}

/** What the decision sees of the board: the item's values, or why the board could not be read. */
export function boardSeen(snapshot: Pick<EngagementSnapshot, 'board'>): Pick<EngagementRead, 'board'> {
  const board = snapshot.board;
  if (!board) return {};
  if ('refused' in board) return { board: { refused: board.refused } };
  return { board: { onBoard: board.item !== null, values: board.item?.values ?? {} } };
}

/** A transfer request may exist from the step before the handoff on (an earlier run may have died opening it). */
function nearHandoff(playbook: Playbook, step: string): boolean {
  return stepIndex(playbook, step) >= stepIndex(playbook, playbook.handoff.step) - 1;
}

/** A request whose newest hundred comments are not all: read whole (a command may sit behind a hundred newer comments). */
async function withAllComments(gh: GitHub, request: TransferRequestSnapshot, viewer: string): Promise<TransferRequestSnapshot> {
  if (request.commentsComplete) return request;
  return { ...request, comments: await gh.readAllComments(request, viewer), commentsComplete: true };
}

/**
 * The engagement's transfer requests, oldest first: the sub-issues the bot opened for it; else
 * the one its front-matter records; else (an earlier run may have died before recording it)
 * recent requests in the assignment repository that name this engagement.
 */
async function findTransferRequests(
  gh: GitHub,
  config: Config,
  snapshot: EngagementSnapshot,
  engagement: IssueTarget,
  recorded: string | null,
  mayExist: boolean,
): Promise<TransferRequestSnapshot[]> {
  const { viewer } = snapshot;
  const oldestFirst = (list: TransferRequestSnapshot[]) => [...list].sort((a, b) => a.number - b.number);
  const own = snapshot.subIssueTransferRequests.filter((r) => isRequestFor(r, engagement, viewer));
  if (own.length > 0) return oldestFirst(own);
  const target = recorded ? parseIssueRef(recorded, engagement.repo) : null;
  const sameOwner = config.assignmentRepo.owner.toLowerCase() === engagement.repo.owner.toLowerCase();
  if (target) {
    const read = await gh.readTransferRequest(target);
    // Within one owner every request is a sub-issue: the recorded one is all there is to find.
    if (read && isRequestFor(read.request, engagement, viewer) && sameOwner) return [read.request];
  }
  // Within one owner the request is created as a sub-issue in the same call: not linked, not there.
  if (!mayExist || sameOwner) return [];
  const recent = await gh.recentIssuesWithLabel(config.assignmentRepo, config.labels['queue-transfer'], 30, viewer);
  return oldestFirst(recent.filter((r) => isRequestFor(r, engagement, viewer)));
}
