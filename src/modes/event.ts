// Event mode: an `issues` or `issue_comment` event woke the action up. The event only says which
// engagement to look at; what to do is decided from the engagement as it is now.
import type { IssueCommentCreatedEvent, IssueCommentEvent, IssuesEditedEvent, IssuesEvent, IssuesLabeledEvent, WebhookEvent } from '@octokit/webhooks-types';
import type { Config } from '../process/settings.js';
import { confirmationCommands, parseQueueMoved } from '../process/confirmation.js';
import type { Effect } from '../core/plan.js';
import type { IssueTarget } from '../process/settings.js';
import { decideAndApply } from './decide-and-apply.js';
import type { RunContext } from './run-context.js';

export type { RunContext } from './run-context.js';
import { sameLogin } from '../process/logins.js';
import { markersIn } from '../process/markers.js';
import type { Trigger } from '../process/engagement-read.js';
import { engagementOfTransferRequest, readForDecision } from '../github/read-for-decision.js';


export interface EventReport {
  engagement: number | null;
  step: string | null;
  effects: Effect[];
  warnings: string[];
  /** Why nothing was looked at, when nothing was. */
  skipped: string | null;
}

export const HANDLED_ISSUE_ACTIONS = ['opened', 'labeled', 'unlabeled', 'edited', 'assigned', 'unassigned', 'closed', 'reopened'];

/** The event's payload; only `issues` and `issue_comment` ones are read, the rest is skipped. */
export type Payload = WebhookEvent | Record<string, unknown>;
/** What routing reads of them, as GitHub documents it; every field is still checked, since the payload file may hold anything. */
type IssuePayload = Partial<IssuesEvent | IssueCommentEvent> &
  Partial<Pick<IssuesLabeledEvent, 'label'> & Pick<IssuesEditedEvent, 'changes'> & Pick<IssueCommentCreatedEvent, 'comment'>>;

/** `hint`: the payload's copy of the body, only to know whom a plan may assign before the read. */
type Route = { skip: string } | { target: IssueTarget; trigger: Trigger; onTransferRequest: boolean; hint: string | null };

/** Which issue an event is about, and what woke the run up; no API call. */
export function route(eventName: string, received: Payload, config: Config): Route {
  const payload = received as IssuePayload;
  const issue = payload.issue;
  if (!issue || typeof issue.number !== 'number') return { skip: `${eventName} event without an issue` };
  const target = { repo: config.repo, number: issue.number };
  const labels: string[] = Array.isArray(issue.labels) ? issue.labels.map((l) => String(l?.name ?? l)) : [];
  const onTransferRequest = labels.some((l) => l.toLowerCase() === config.labels['queue-transfer'].toLowerCase());
  const sender = String(payload.sender?.login ?? '');
  const hint = typeof issue.body === 'string' && !onTransferRequest ? issue.body : null;

  if (eventName === 'issues') {
    const action = String(payload.action ?? '');
    if (!HANDLED_ISSUE_ACTIONS.includes(action)) return { skip: `issues.${action} is not an event the engagement process reacts to` };
    if (onTransferRequest) return { skip: `issues.${action} on a transfer request: only its comments matter` };
    const trigger: Trigger = { kind: 'issues', action, sender };
    if (typeof payload.label?.name === 'string') trigger.label = payload.label.name;
    if (action === 'edited' && typeof payload.changes?.body?.from === 'string' && typeof issue.body === 'string') {
      trigger.edit = { before: payload.changes.body.from, after: issue.body };
    }
    return { target, trigger, onTransferRequest, hint };
  }
  if (eventName === 'issue_comment') {
    const action = String(payload.action ?? '');
    const comment = payload.comment;
    if (action !== 'created' || !comment) return { skip: `issue_comment.${action}: only new comments matter` };
    const body = String(comment.body ?? '');
    if (comment.user?.type === 'Bot' && markersIn(body).length > 0) return { skip: 'a comment by engagement-bot itself' };
    if (!parseQueueMoved(body, confirmationCommands(config))) return { skip: `a comment that is not a ${confirmationCommands(config).join(' or ')} command` };
    return { target, trigger: { kind: 'issue_comment', action, sender, commentId: Number(comment.id) }, onTransferRequest, hint };
  }
  return { skip: `${eventName} events are handled by the scheduled run (mode: scan)` };
}

export async function runEventMode(ctx: RunContext, eventName: string, payload: Payload): Promise<EventReport> {
  const { config, gh, log } = ctx;
  const report: EventReport = { engagement: null, step: null, effects: [], warnings: [], skipped: null };
  const routed = route(eventName, payload, config);
  if ('skip' in routed) {
    report.skipped = routed.skip;
    return report;
  }

  let target = routed.target;
  if (routed.onTransferRequest) {
    const read = await gh.readTransferRequest(target);
    const engagement = read ? engagementOfTransferRequest(read.request, read.viewer) : null;
    if (!engagement) {
      report.skipped = `#${target.number} is not a transfer request opened by engagement-bot`;
      return report;
    }
    target = engagement;
  }
  report.engagement = target.number;

  const reading = await readForDecision(gh, config, target, routed.trigger, routed.hint);
  if (!reading) {
    report.skipped = `issue #${target.number} does not exist or cannot be read`;
    return report;
  }
  if (routed.trigger.kind !== 'scan' && sameLogin(routed.trigger.sender, reading.snapshot.viewer)) {
    report.skipped = 'an event caused by engagement-bot itself';
    return report;
  }

  // One instant for the whole run, so every decision in it agrees on timestamps.
  const { decision, effects } = await decideAndApply(ctx, reading, ctx.now(), () => !config.dryRun);
  report.effects = effects;
  for (const warning of decision.warnings) log.warning(warning);
  report.warnings = decision.warnings;
  report.step = decision.state?.step ?? null;
  return report;
}
