// Builders for decision-core tests, and a model of GitHub that applies effects to an observation
// the way the real API would, so a test can decide, apply, and decide again.
import { parseConfig, type Config } from '../../src/config.js';
import { parseQueueMoved } from '../../src/process/confirmation.js';
import { decide, type Decision } from '../../src/core/decide.js';
import type { Effect, Write } from '../../src/core/plan.js';
import { renderWrite } from '../../src/github/send-plan.js';
import { readAfter } from '../../src/modes/template-check.js';
import type { Authorisation, CommentView, ConfirmationAttempt, EngagementRead as Observation, Trigger, TransferRequestView } from '../../src/process/engagement-read.js';
import { loadMessages, type Messages } from '../../src/files/templates.js';

export const REPO = { owner: 'contoso-ft', name: 'engagements' };
export const BOT = 'github-actions[bot]';
export const FM = 'fm-alice';
export const ASSIGNER = 'assign-bob';

let messages: Messages | null = null;
export function testMessages(): Messages {
  messages ??= loadMessages();
  return messages;
}

export function testConfig(inputs: Record<string, string> = {}): Config {
  const all: Record<string, string> = { 'github-token': 'x', 'assignment-team': 'contoso-ft/assignment', ...inputs };
  return parseConfig((name) => all[name] ?? '', { GITHUB_REPOSITORY: `${REPO.owner}/${REPO.name}` });
}

export function body(fields: Record<string, string>, rest = '\nNotes.\n'): string {
  return `---\n${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n---\n${rest}`;
}

export const ATU_FIELDS = {
  customer: 'Contoso Ltd',
  tenant: 'contoso.onmicrosoft.com',
  region: 'EMEA',
  fm: FM,
  account_team: '[ana@contoso.com, {name: Bo Li, email: bo@contoso.com}]',
  completed_activities: '[Mailbox migration, Teams enablement]',
};
export const NO_ATU_FIELDS = { customer: 'Fabrikam', tenant: 'fabrikam.com', region: 'americas', fm: FM };

export function labelled(action: 'labeled' | 'unlabeled', label: string, sender = FM): Trigger {
  return { kind: 'issues', action, sender, label };
}

export function observation(o: {
  body: string;
  labels?: string[];
  assignees?: string[];
  state?: 'open' | 'closed';
  comments?: CommentView[] | null;
  transferRequest?: TransferRequestView | null;
  confirmations?: ConfirmationAttempt[];
  trigger?: Trigger;
}): Observation {
  return {
    issue: {
      repo: REPO,
      number: 1,
      title: 'Engagement',
      url: 'https://github.com/contoso-ft/engagements/issues/1',
      state: o.state ?? 'open',
      stateReason: null,
      body: o.body,
      labels: o.labels ?? ['engagement'],
      assignees: o.assignees ?? [FM],
      author: FM,
    },
    comments: o.comments === undefined ? [] : o.comments,
    transferRequest: o.transferRequest === undefined ? null : o.transferRequest,
    confirmations: o.confirmations ?? [],
    trigger: o.trigger ?? { kind: 'issues', action: 'opened', sender: FM },
  };
}

/** Comment ids, shared by people's comments and the bot's, as on GitHub. */
const ids = { next: 1000 };
export function humanComment(bodyText: string, author = ASSIGNER, createdAt = '2026-11-25T12:00:00Z'): CommentView {
  const id = ++ids.next;
  return { id, nodeId: `IC_${id}`, author, byBot: false, body: bodyText, createdAt, url: `https://github.com/x/y/issues/1#issuecomment-${id}` };
}

export function attempt(comment: CommentView, on: ConfirmationAttempt['on'] = 'transfer-request', authorisation: Authorisation = { ok: true, via: 'team' }): ConfirmationAttempt {
  return {
    commentId: comment.id,
    on,
    author: comment.author,
    createdAt: comment.createdAt,
    url: comment.url,
    queue: parseQueueMoved(comment.body, ['/queue-moved'])?.queue ?? null,
    authorisation,
  };
}

/** Applies written effects to an observation as GitHub would (issue numbers and comment ids assigned in order). */
export function apply(o: Observation, effects: Write[], at: string): Observation {
  return readAfter(o, effects, at, BOT, ids);
}

/** A decision with its plan rendered as the edge renders it, so a test reads what GitHub would receive. */
export type RenderedDecision = Omit<Decision, 'effects'> & { effects: Write[]; plan: Effect[] };

export function render(effects: Effect[], messages: Messages = testMessages()): Write[] {
  return effects.map((e) => renderWrite(messages, e));
}

/** The pure core's decision, rendered with the test's templates (or `ctx.messages`). */
export function decideRendered(o: Observation, ctx: { config: Config; now: Date; messages?: Messages }): RenderedDecision {
  const decision = decide(o, { config: ctx.config, now: ctx.now });
  return { ...decision, plan: decision.effects, effects: render(decision.effects, ctx.messages) };
}

export interface Settled {
  decision: RenderedDecision;
  /** Every effect of the run, the transfer request's opening included, as written. */
  effects: Write[];
  after: Observation;
}

/** Decides and applies as the event path does: open the transfer request first, then decide again. */
export function settle(o: Observation, now: string, config: Config = testConfig()): Settled {
  const ctx = { config, now: new Date(now) };
  let decision = decideRendered(o, ctx);
  const effects: Write[] = [];
  let current = o;
  if (decision.opensTransferRequest) {
    effects.push(...decision.effects);
    current = apply(current, decision.effects, now);
    decision = decideRendered(current, ctx);
  }
  effects.push(...decision.effects);
  return { decision, effects, after: apply(current, decision.effects, now) };
}

/** What a plan does, by kind; the live status, folding older messages and receipts' reactions are left out (`shown` has them). */
export function kinds(effects: Array<Effect | Write>): string[] {
  return effects
    .filter((e) => !isShown(e))
    .map((e) => (e.kind === 'comment' ? `comment:${e.template}` : e.kind === 'remove-label' ? `remove-label:${e.label}` : e.kind));
}

/** The live status posted or edited, older messages minimized, and reactions on commands. */
export function isShown(e: Effect | Write): boolean {
  return ((e.kind === 'comment' || e.kind === 'edit-comment') && e.key === 'status') || e.kind === 'edit-comment' || e.kind === 'minimize-comment' || e.kind === 'add-reaction';
}

export function shown(effects: Array<Effect | Write>): string[] {
  return effects.filter(isShown).map((e) => (e.kind === 'add-reaction' ? `add-reaction:${e.content}` : e.kind === 'minimize-comment' ? `minimize-comment:${e.key}` : `${e.kind}:status`));
}

/** The comments a plan posts (the live status left out unless asked for by its template). */
export function commentsOf(effects: Write[], template?: string): Array<Extract<Write, { kind: 'comment' }>> {
  return effects.filter((e): e is Extract<Write, { kind: 'comment' }> => e.kind === 'comment' && (template === undefined ? e.key !== 'status' : e.template === template));
}
