// The decision core: (what is on the engagement now, now, config) → (new state, effects).
// Pure and level-triggered: it derives the step from the labels and confirmations on the issue,
// never from which event arrived, so a dropped, repeated, late or coalesced event ends in the
// same state. Every message carries a marker; a message whose marker is already on the issue is
// not posted again, which is what makes re-runs and resumed runs safe.
import { repoName, type Config } from './config.js';
import { sameQueueName } from './confirmation.js';
import { isoTime, nextActionDateFor } from './dates.js';
import { BOT_KEYS, type BotKey, type BotState, type EngagementFields, type HistoryEntry, type Transfer } from './engagement.js';
import type { Effect, IssueTarget } from './effects.js';
import { parseEngagement, renderBodyWithinLimit, type ParsedEngagement, type Problem } from './frontmatter.js';
import { LabelSet, climb, forwardPath, goesThroughPreparation, stepOfLabel } from './ladder.js';
import { code, inline, mention } from './markdown.js';
import { digest, keys, marker, markersIn, withMarker } from './markers.js';
import type { CommentView, ConfirmationAttempt, Observation, Trigger } from './observation.js';
import { DEFAULT_QUEUES, NEXT_LABELS, QUEUE_ALIASES, STEP_MESSAGES, stepIndex, type Region, type Step, type StepLabel } from './playbook.js';
import type { MessageName, Messages } from './templates.js';
import { stallReason } from './stall.js';
import { frontMatterFromForm } from './intake.js';
import { emailDraft, engagementView, issueRef, localeOf, plainView, stepList, type ViewContext } from './views.js';

export interface DecisionContext {
  config: Config;
  messages: Messages;
  now: Date;
}

export type Outcome = 'not-an-engagement' | 'invalid' | 'closed' | 'too-long' | 'in-progress' | 'completed';

export interface Decision {
  outcome: Outcome;
  /** The engagement's state once the effects are applied; null when it cannot be read. */
  state: BotState | null;
  /** The FM's keys, when the front-matter is valid (for reports). */
  fields: EngagementFields | null;
  /** The front-matter's problems, when it is invalid. */
  problems: Problem[];
  effects: Effect[];
  /** Warning annotations for the run log, for maintainers. */
  warnings: string[];
  /** The transfer request must be opened first; decide again once it exists. */
  opensTransferRequest: boolean;
}

/** The login recorded in history for changes the bot makes on its own (scheduled runs). */
export const BOT_ACTOR = 'engagement-bot';

function actorOf(trigger: Trigger): string {
  return trigger.kind === 'scan' ? BOT_ACTOR : trigger.sender;
}

function hasMarker(comments: CommentView[] | null, key: string): boolean {
  return comments !== null && comments.some((c) => c.byBot && markersIn(c.body).includes(key));
}

/** Post unless already posted; when comments were not read, only messages new to this run. */
function shouldPost(comments: CommentView[] | null, key: string, newThisRun: boolean): boolean {
  return comments === null ? newThisRun : !hasMarker(comments, key);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function decide(obs: Observation, ctx: DecisionContext): Decision {
  const { config } = ctx;
  const issue = obs.issue;
  const labels = new LabelSet(issue.labels, config);
  const none: Decision = { outcome: 'not-an-engagement', state: null, fields: null, problems: [], effects: [], warnings: [], opensTransferRequest: false };
  if (!labels.has('engagement') || labels.has('queue-transfer') || labels.has('engagement-dashboard')) return none;

  // An engagement opened with the issue form: its answers become the front-matter first.
  let parsed = parseEngagement(issue.body);
  let observed = obs;
  let conversion: Effect | null = null;
  const fromForm = !parsed.ok && parsed.problems[0]?.code === 'no-front-matter' ? frontMatterFromForm(issue.body) : null;
  if (fromForm !== null) {
    observed = { ...obs, issue: { ...issue, body: fromForm } };
    conversion = { kind: 'update-body', target: { repo: issue.repo, number: issue.number }, body: fromForm, why: 'front-matter from the issue form' };
    parsed = parseEngagement(fromForm);
  }
  const decision = parsed.ok ? new Run(observed, parsed, ctx, labels).decide() : invalid(observed, parsed.problems, ctx);
  // The converted body is written even when the state is not (a closed or invalid engagement).
  if (conversion && !decision.effects.some((e) => e.kind === 'update-body')) decision.effects.unshift(conversion);
  return decision;
}

/** Room left under GitHub's 65,536-character limit for the markers a comment carries. */
const MAX_MESSAGE = 60_000;

/** A message no longer than GitHub accepts: however large the fields, posting never fails on size. */
function fit(text: string): string {
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE).trimEnd()}\n\n…`;
}

/** A problem in one line of English, for logs and reports. */
export function describeProblem(p: Problem): string {
  const where = 'line' in p ? ` (line ${p.line}, column ${p.column})` : '';
  const key = 'key' in p ? `${p.key}: ` : '';
  return `${key}${p.code}${'detail' in p ? ` ${p.detail}` : ''}${'value' in p ? ` "${p.value}"` : ''}${where}`;
}

function problemView(p: Problem) {
  return {
    ...p,
    key: 'key' in p ? code(p.key) : null,
    value: 'value' in p ? inline(p.value) : null,
    detail: 'detail' in p ? inline(p.detail) : null,
    got: 'got' in p ? p.got : null,
    written: 'written' in p && p.written ? code(p.written) : null,
    expected: 'expected' in p ? p.expected : null,
    line: 'line' in p ? p.line : null,
    column: 'column' in p ? p.column : null,
    length: 'length' in p ? p.length : null,
    limit: 'limit' in p ? p.limit : null,
  };
}

function invalid(obs: Observation, problems: Problem[], ctx: DecisionContext): Decision {
  const target = { repo: obs.issue.repo, number: obs.issue.number };
  const key = keys.invalid(digest(JSON.stringify(problems)));
  const effects: Effect[] = [];
  // Without the comments (scheduled runs) the bot cannot know it already said this: it stays quiet.
  if (obs.comments !== null && !hasMarker(obs.comments, key)) {
    const body = ctx.messages.render('validation-error', ctx.config.locale, {
      problems: problems.map(problemView),
      labels: { engagement: code(ctx.config.labels.engagement) },
    });
    effects.push({ kind: 'comment', target, key, template: 'validation-error', body: withMarker(fit(body), key) });
  }
  return {
    outcome: 'invalid',
    state: null,
    fields: null,
    problems,
    effects,
    warnings: [`${repoName(obs.issue.repo)}#${obs.issue.number}: front-matter is invalid: ${problems.map(describeProblem).join('; ')}`],
    opensTransferRequest: false,
  };
}

/** One decision about one engagement; fields are the facts, methods the rules. */
class Run {
  private readonly config: Config;
  private readonly fields: EngagementFields;
  private readonly target: IssueTarget;
  private readonly nowIso: string;
  private readonly actor: string;
  private readonly view: ViewContext;
  private readonly warnings: string[] = [];
  // Effects by kind, concatenated in a fixed, safe order at the end (see `effects()`).
  private readonly engagementComments: Effect[] = [];
  private readonly labelChanges: Effect[] = [];
  private readonly assigneeChanges: Effect[] = [];
  private readonly transferEffects: Effect[] = [];
  private readonly closing: Effect[] = [];

  constructor(
    private readonly obs: Observation,
    private readonly parsed: ParsedEngagement,
    private readonly ctx: DecisionContext,
    private readonly labels: LabelSet,
  ) {
    this.config = ctx.config;
    this.fields = parsed.fields;
    this.target = { repo: obs.issue.repo, number: obs.issue.number };
    this.nowIso = isoTime(ctx.now);
    this.actor = actorOf(obs.trigger);
    this.view = { config: ctx.config, messages: ctx.messages, locale: localeOf(parsed.fields, ctx.config) };
    for (const unknown of parsed.unknownKeys) {
      this.warnings.push(
        `${this.ref()}: unknown front-matter key "${unknown.key}" kept as is${unknown.suggestion ? ` (did you mean "${unknown.suggestion}"?)` : ''}`,
      );
    }
  }

  private ref(): string {
    return `${repoName(this.target.repo)}#${this.target.number}`;
  }

  decide(): Decision {
    const restored = this.restoreBotKeys();
    const known = restored.state;
    const before: BotState = known ?? this.initialState();
    const firstSeen = known === null;

    if (this.obs.issue.state === 'closed' && before.step !== 'completed') {
      return this.result('closed', firstSeen ? null : before, []);
    }
    if (restored.keys.length > 0) this.postRestored(restored.keys, restored.key);

    const after = before.step === 'completed' ? this.afterCompletion(before) : this.reconcile(before, firstSeen);
    if ('opensTransferRequest' in after) return after;

    const body = renderBodyWithinLimit(this.parsed.source, after);
    if (body === null) return this.tooLong(before);
    const effects: Effect[] = [];
    if (body !== this.obs.issue.body) effects.push({ kind: 'update-body', target: this.target, body, why: this.why(before, after, firstSeen) });
    effects.push(...this.engagementComments, ...this.labelChanges, ...this.assigneeChanges, ...this.transferEffects, ...this.closing);
    return this.result(after.step === 'completed' ? 'completed' : 'in-progress', after, effects);
  }

  private result(outcome: Outcome, state: BotState | null, effects: Effect[]): Decision {
    return { outcome, state, fields: this.fields, problems: [], effects, warnings: this.warnings, opensTransferRequest: false };
  }

  private why(before: BotState, after: BotState, firstSeen: boolean): string {
    if (firstSeen) return `start tracking (${after.step})`;
    if (before.step !== after.step) return `${before.step} → ${after.step}`;
    return 'record state';
  }

  private initialState(): BotState {
    return {
      step: 'awaiting-migration',
      step_since: this.nowIso,
      workload_ready: null,
      task_4060: 'pending',
      next_action_date: null,
      transfer: null,
      stalled_since: null,
      history: [{ at: this.nowIso, by: this.actor, from: null, to: 'awaiting-migration', via: this.startedVia() }],
      completed_at: null,
    };
  }

  private startedVia(): string {
    const t = this.obs.trigger;
    if (t.kind === 'issues') return t.action === 'labeled' && t.label ? `labeled:${t.label}` : t.action;
    return t.kind === 'scan' ? 'scan' : 'comment';
  }

  /**
   * Bot-owned keys edited by hand go back to what the bot wrote. The `edited` payload says what
   * the edit changed; a key is restored only if it still holds the edited value, so a late
   * payload never undoes a later write by the bot. Keys the bot cannot read are rebuilt.
   */
  private restoreBotKeys(): { state: BotState | null; keys: BotKey[]; key: string } {
    let state = this.parsed.bot;
    const restoredKeys: BotKey[] = [];
    const trigger = this.obs.trigger;
    let key = keys.restored(digest(this.obs.issue.body));
    if (trigger.kind === 'issues' && trigger.action === 'edited' && trigger.edit && trigger.sender !== BOT_ACTOR) {
      const beforeEdit = parseEngagement(trigger.edit.before);
      const afterEdit = parseEngagement(trigger.edit.after);
      if (beforeEdit.ok && afterEdit.ok && beforeEdit.bot !== null) {
        const next = { ...(state ?? beforeEdit.bot) } as Record<BotKey, unknown>;
        for (const k of BOT_KEYS) {
          const edited = afterEdit.bot?.[k];
          if (same(beforeEdit.bot[k], edited)) continue;
          if (!same(state?.[k], edited)) continue; // written again since the edit: keep the newer value
          next[k] = beforeEdit.bot[k];
          restoredKeys.push(k);
        }
        if (restoredKeys.length > 0) {
          state = next as unknown as BotState;
          key = keys.restored(digest(trigger.edit.after));
        }
      }
    }
    // `step` always equals where the last history entry went; a step edited by hand (its `edited`
    // event missed or raced) is put back from the history.
    const lastMove = state?.history.at(-1);
    if (state !== null && lastMove && state.step !== lastMove.to && !this.parsed.botProblems.some((p) => 'key' in p && p.key === 'step')) {
      state = { ...state, step: lastMove.to };
      if (!restoredKeys.includes('step')) restoredKeys.push('step');
    }
    if (state !== null) {
      const unreadable = this.parsed.botProblems.flatMap((p) => ('key' in p ? [p.key as BotKey] : [])).filter((k) => !restoredKeys.includes(k));
      if (unreadable.length > 0) {
        const last = state.history.at(-1);
        state = { ...state };
        if (unreadable.includes('step')) state.step = last?.to ?? 'awaiting-migration';
        if (unreadable.includes('step_since')) state.step_since = last?.at ?? this.nowIso;
        restoredKeys.push(...unreadable.filter((k) => !restoredKeys.includes(k)));
      }
    }
    return { state, keys: restoredKeys, key };
  }

  private postRestored(restoredKeys: BotKey[], key: string): void {
    if (!shouldPost(this.obs.comments, key, true)) return;
    const editor = this.obs.trigger.kind === 'scan' ? null : mention(this.actor);
    this.comment('bot-keys-restored', key, { keys: restoredKeys.map(code), editor, labels: engagementLabels(this.config) });
  }

  private comment(template: MessageName, key: string, values: object, target: IssueTarget = this.target, into: Effect[] = this.engagementComments, extraKeys: string[] = []): void {
    let body = withMarker(fit(this.ctx.messages.render(template, this.view.locale, values)), key);
    for (const extra of extraKeys) body = `${body}${marker(extra)}\n`; // each on a line of its own, at the end
    into.push({ kind: 'comment', target, key, template, body });
  }

  /** The engagement while it is open and not yet completed: labels and confirmations decide. */
  private reconcile(before: BotState, firstSeen: boolean): BotState | Decision {
    const { config, labels, obs } = this;
    const trigger = obs.trigger;
    const throughPreparation = goesThroughPreparation(before, this.fields);
    const present = labels.stepLabels();

    // Only one of workload-ready / workload-not-ready: the one just added wins.
    const conflicting: StepLabel[] = [];
    if (present.has('workload-ready') && present.has('workload-not-ready')) {
      const added = trigger.kind === 'issues' && trigger.action === 'labeled' ? labels.keyOf(trigger.label) : null;
      const keep =
        added === 'workload-ready' || added === 'workload-not-ready'
          ? added
          : before.workload_ready === true
            ? 'workload-ready'
            : before.workload_ready === false
              ? 'workload-not-ready'
              : null;
      for (const l of ['workload-ready', 'workload-not-ready'] as const) {
        if (l !== keep) {
          present.delete(l);
          conflicting.push(l);
        }
      }
    }

    const climbed = climb(present, throughPreparation);
    // Labels past a missing gate: part of an undo when the engagement had got that far, else out of order.
    const lastMove = before.history.at(-1);
    const highWater = Math.max(
      stepIndex(before.step),
      lastMove?.from && lastMove.at === before.step_since ? stepIndex(lastMove.from) : -1,
    );
    const undone = climbed.beyond.filter((l) => stepIndex(stepOfLabel(l, throughPreparation)) <= highWater);
    const outOfOrder = climbed.beyond.filter((l) => !undone.includes(l));

    let step: Step = climbed.reached;
    const transfer = this.transferFor(before, step);
    this.recoverConfirmation(transfer);
    const confirmedHere = this.confirm(step, transfer, this.nowIso);
    if (step === 'offboarding' && climbed.taskDone && transfer?.confirmed_by) step = 'completed';

    // History: one entry per step entered, so coalesced events still show each step.
    const history = [...before.history];
    let stepSince = before.step_since;
    if (step !== before.step) {
      if (stepIndex(step) > stepIndex(before.step)) {
        let from: Step = before.step;
        for (const to of forwardPath(before.step, step, throughPreparation)) {
          history.push({ at: this.nowIso, by: this.actor, from, to, via: this.viaEntering(to, climbed.openedBy, confirmedHere) });
          from = to;
        }
      } else {
        const removed = trigger.kind === 'issues' && trigger.action === 'unlabeled' && trigger.label ? trigger.label : labels.name(climbed.missing ?? 'migration-complete');
        history.push({ at: this.nowIso, by: this.actor, from: before.step, to: step, via: `unlabeled:${removed}` });
      }
      stepSince = this.nowIso;
    } else if (step === 'follow-up' && before.workload_ready !== null && climbed.workloadReady !== before.workload_ready) {
      // The customer's answer changed: the follow-up (and its e-mail) starts again.
      history.push({ at: this.nowIso, by: this.actor, from: step, to: step, via: `label:${labels.name(climbed.workloadReady ? 'workload-ready' : 'workload-not-ready')}` });
      stepSince = this.nowIso;
    } else if (step === 'offboarding' && climbed.taskDone !== (before.task_4060 === 'done')) {
      history.push({ at: this.nowIso, by: this.actor, from: step, to: step, via: `${climbed.taskDone ? 'label' : 'unlabeled'}:${labels.name('task-4060-done')}` });
    } else if (step === 'offboarding' && confirmedHere && !before.transfer?.confirmed_by) {
      history.push({ at: this.nowIso, by: this.actor, from: step, to: step, via: 'comment:/queue-moved' });
    }
    const entered = firstSeen || stepSince !== before.step_since;

    const after: BotState = {
      step,
      step_since: stepSince,
      workload_ready: stepIndex(step) >= stepIndex('follow-up') ? climbed.workloadReady : null,
      task_4060: step === 'completed' || (step === 'offboarding' && climbed.taskDone) ? 'done' : 'pending',
      next_action_date:
        stepIndex(step) < stepIndex('offboarding')
          ? null
          : before.step !== 'offboarding' && step !== before.step
            ? nextActionDateFor(this.ctx.now, config.timezone)
            : (before.next_action_date ?? nextActionDateFor(this.ctx.now, config.timezone)),
      transfer,
      stalled_since: entered ? null : before.stalled_since,
      history,
      completed_at: step === 'completed' ? this.nowIso : null,
    };

    // The transfer request is opened first, alone: everything else needs its number.
    if ((step === 'offboarding' || step === 'completed') && obs.transferRequest === null) {
      return this.openTransferRequest(after);
    }

    this.postEntry(after, firstSeen, entered, { undone, appended: history.slice(before.history.length) });
    this.flagStall(after, entered);
    if (outOfOrder.length > 0 || conflicting.length > 0) this.reportLabels(after, outOfOrder, conflicting, entered);
    for (const l of [...undone, ...outOfOrder, ...conflicting]) this.labelChanges.push({ kind: 'remove-label', target: this.target, label: labels.name(l) });
    if (entered && labels.has('stalled')) this.labelChanges.push({ kind: 'remove-label', target: this.target, label: labels.name('stalled') });
    this.acknowledgeTask(after);
    this.keepFmAssigned(after, firstSeen);
    this.manageTransferRequest(after);
    if (after.step === 'completed') this.close(after);
    return after;
  }

  private viaEntering(step: Step, openedBy: Partial<Record<Step, StepLabel>>, confirmedHere: boolean): string {
    if (step === 'completed') return confirmedHere ? 'comment:/queue-moved' : `label:${this.labels.name('task-4060-done')}`;
    const label = openedBy[step];
    return label ? `label:${this.labels.name(label)}` : 'labels';
  }

  /** The transfer record for the step reached: asked for on entering offboarding, cancelled on leaving it. */
  private transferFor(before: BotState, step: Step): Transfer | null {
    const request = this.obs.transferRequest ? issueRef(this.obs.issue, this.obs.transferRequest) : (before.transfer?.request ?? null);
    if (stepIndex(step) < stepIndex('offboarding')) {
      return before.transfer ? { ...before.transfer, request, requested_at: null, confirmed_by: null, confirmed_at: null } : null;
    }
    const entering = before.step !== 'offboarding';
    return {
      queue: this.config.queues[this.fields.region],
      request,
      requested_at: entering ? this.nowIso : (before.transfer?.requested_at ?? this.nowIso),
      confirmed_by: entering ? null : (before.transfer?.confirmed_by ?? null),
      confirmed_at: entering ? null : (before.transfer?.confirmed_at ?? null),
    };
  }

  /**
   * A confirmation the bot acknowledged but whose write was lost (two runs racing on one body)
   * is read back from the bot's own receipt.
   */
  private recoverConfirmation(transfer: Transfer | null): void {
    if (!transfer || transfer.confirmed_by !== null || transfer.requested_at === null) return;
    const receipts = [...(this.obs.comments ?? []), ...(this.obs.transferRequest?.comments ?? [])].filter((c) => c.byBot);
    for (const key of receipts.flatMap((c) => markersIn(c.body))) {
      const m = /^confirmed\/\d+\/([^/]+)\/(.+)$/.exec(key);
      if (m && Date.parse(m[2] as string) >= Date.parse(transfer.requested_at)) {
        transfer.confirmed_by = m[1] as string;
        transfer.confirmed_at = m[2] as string;
        return;
      }
    }
  }

  /**
   * Answers each unanswered `/queue-moved`, recording the first valid one. `transfer` is updated
   * in place. Returns whether a confirmation was recorded in this run.
   */
  private confirm(step: Step, transfer: Transfer | null, completionSince: string): boolean {
    let recorded = false;
    for (const attempt of this.obs.confirmations) {
      const refusal = this.refusal(attempt, step, transfer);
      if (refusal) {
        this.reply(attempt, 'confirmation-refused', refusal);
        continue;
      }
      const t = transfer as Transfer;
      const isRecorded = t.confirmed_by === attempt.author && t.confirmed_at === attempt.createdAt;
      const already = t.confirmed_by !== null && !isRecorded;
      const recordedNow = t.confirmed_by === null;
      if (recordedNow) {
        t.confirmed_by = attempt.author;
        t.confirmed_at = attempt.createdAt;
        recorded = true;
      }
      const taskDone = this.labels.has('task-4060-done');
      const completes = taskDone && !already;
      // The receipt is also the record of the confirmation; one that completes is the closing note too.
      const extraKeys = isRecorded || recordedNow ? [keys.confirmed(attempt.commentId, attempt.author, attempt.createdAt)] : [];
      if (completes && attempt.on === 'transfer-request') extraKeys.push(keys.transferDone(completionSince));
      this.reply(attempt, 'confirmation-receipt', {
        already,
        by: mention(attempt.author),
        confirmedBy: t.confirmed_by ? mention(t.confirmed_by) : null,
        completes,
        waitingForTask: !taskDone,
      }, extraKeys);
    }
    return recorded;
  }

  private refusal(attempt: ConfirmationAttempt, step: Step, transfer: Transfer | null): object | null {
    const base = { by: mention(attempt.author), queues: Object.values(this.config.queues).map(code), command: code('/queue-moved') };
    if ((step !== 'offboarding' && step !== 'completed') || transfer === null) return { ...base, reason: 'not-requested' };
    const verdict = attempt.authorisation;
    if (!verdict.ok) {
      return {
        ...base,
        reason: verdict.reason,
        team: verdict.team ? code(verdict.team) : null,
        pending: verdict.pending === true,
        permission: verdict.permission ?? null,
        repo: verdict.repo ? code(verdict.repo) : null,
      };
    }
    if (attempt.queue !== null) {
      const named = attempt.queue;
      const configured = (Object.entries(this.config.queues) as Array<[Region, string]>).find(
        ([region, q]) => sameQueueName(q, named) || (q === DEFAULT_QUEUES[region] && sameQueueName(QUEUE_ALIASES[region], named)),
      )?.[1];
      if (!configured) return { ...base, reason: 'unknown-queue', named: inline(attempt.queue) };
      if (!sameQueueName(configured, transfer.queue)) return { ...base, reason: 'wrong-queue', named: code(configured), expected: code(transfer.queue) };
    }
    return null;
  }

  private reply(attempt: ConfirmationAttempt, template: 'confirmation-receipt' | 'confirmation-refused', values: object, extraKeys: string[] = []): void {
    const t = this.obs.transferRequest;
    const onTransfer = attempt.on === 'transfer-request' && t;
    const target = onTransfer ? { repo: t.repo, number: t.number } : this.target;
    this.comment(template, keys.reply(attempt.commentId), { ...this.common(this.parsed.bot ?? this.initialState()), ...values }, target, onTransfer ? this.transferEffects : this.engagementComments, extraKeys);
  }

  private common(state: BotState) {
    return engagementView(this.fields, state, this.obs.issue, this.obs.transferRequest, this.view);
  }

  /** The message for the step the engagement is in, once per entry into it. */
  private postEntry(after: BotState, firstSeen: boolean, entered: boolean, extra: { undone: StepLabel[]; appended: HistoryEntry[] }): void {
    const key = keys.stepEntry(after.step, after.step_since);
    if (!shouldPost(this.obs.comments, key, entered)) return;
    // The steps this entry passed through: the entries this run added; when re-posting a message
    // a failed run left unposted, the entries written at the same instant.
    const entries = entered && extra.appended.length > 0 ? extra.appended : after.history.filter((h) => h.at === after.step_since);
    const last = entries.at(-1) ?? after.history.at(-1);
    const backward = last?.from != null && stepIndex(last.to) < stepIndex(last.from);
    const passed = entries.slice(0, -1).map((h) => h.to);
    if (firstSeen && after.step !== 'awaiting-migration' && !passed.includes('awaiting-migration')) passed.unshift('awaiting-migration');
    const values = {
      ...this.common(after),
      ...this.stepExtras(after),
      passedThrough: stepList(passed),
      hasPassedThrough: passed.length > 0,
      skippedAccountTeam: after.step === 'discussion' && !goesThroughPreparation(after, this.fields),
      firstSeen,
      nextLabels: NEXT_LABELS[after.step].map((l) => code(this.labels.name(l))),
      undo: backward
        ? {
            from: code(last.from as Step),
            removedLabel: code(last.via.replace(/^unlabeled:/, '')),
            alsoRemoved: extra.undone.map((l) => code(this.labels.name(l))),
            transferCancelled: stepIndex(after.step) < stepIndex('offboarding') && this.obs.transferRequest?.state === 'open',
          }
        : null,
    };
    this.comment(backward ? 'step-undone' : (STEP_MESSAGES[after.step] as MessageName), key, values);
  }

  /** Step-specific values: the e-mail drafts and the FTOP checklist. */
  private stepExtras(state: BotState) {
    const plain = plainView(this.fields, state, this.view);
    const extras: Record<string, unknown> = { accountTeamEmail: null, followUpEmail: null, transferEmail: null };
    if (state.step === 'preparation') {
      extras.accountTeamEmail = emailDraft('email-account-team', plain, this.fields.accountTeam.map((c) => c.email), [], this.view);
    }
    if (state.step === 'follow-up') {
      extras.followUpEmail = emailDraft('email-customer-follow-up', plain, [], [], this.view);
    }
    if (state.step === 'offboarding') {
      extras.transferEmail = emailDraft('email-transfer-request', { ...plain, transferRequestUrl: this.obs.transferRequest?.url ?? null }, [], [], this.view);
    }
    return extras;
  }

  private reportLabels(after: BotState, outOfOrder: StepLabel[], conflicting: StepLabel[], entered: boolean): void {
    const removed = [...outOfOrder, ...conflicting].map((l) => this.labels.name(l)).sort();
    const key = keys.outOfOrder(removed, after.step_since);
    if (!shouldPost(this.obs.comments, key, !entered)) return;
    this.comment('labels-out-of-order', key, {
      ...this.common(after),
      outOfOrder: outOfOrder.map((l) => code(this.labels.name(l))),
      conflicting: conflicting.map((l) => code(this.labels.name(l))),
      nextLabels: NEXT_LABELS[after.step].map((l) => code(this.labels.name(l))),
    });
  }

  /**
   * The scheduled run flags an engagement that has not moved for too long, once: label, one
   * comment to the FM (and to the assignment team when the wait is theirs), `stalled_since`.
   */
  private flagStall(after: BotState, entered: boolean): void {
    if (this.obs.trigger.kind !== 'scan' || entered || after.stalled_since !== null) return;
    const reason = stallReason(after, this.ctx.now, this.config);
    if (!reason) return;
    after.stalled_since = this.nowIso;
    const key = keys.stalled(after.stalled_since);
    if (shouldPost(this.obs.comments, key, true)) {
      this.comment('stalled', key, {
        ...this.common(after),
        reason: reason.kind,
        days: reason.days,
        limit: reason.limit,
        nextLabels: NEXT_LABELS[after.step].map((l) => code(this.labels.name(l))),
        waitingForTeam: reason.kind === 'waiting-for-queue-move',
        assignees: this.config.assignmentAssignees.map(mention),
      });
    }
    if (!this.labels.has('stalled')) this.labelChanges.push({ kind: 'add-labels', target: this.target, labels: [this.labels.name('stalled')] });
  }

  /** Task 4060 marked while the queue move is still to be confirmed: say what is awaited. */
  private acknowledgeTask(after: BotState): void {
    if (after.step !== 'offboarding' || after.task_4060 !== 'done') return;
    const marked = [...after.history].reverse().find((h) => h.to === 'offboarding' && h.from === 'offboarding' && h.via.startsWith('label:') && h.at >= after.step_since);
    if (!marked) return;
    const key = keys.task4060(marked.at);
    if (!shouldPost(this.obs.comments, key, marked.at === this.nowIso)) return;
    this.comment('task-4060-recorded', key, this.common(after));
  }

  /** The playbook: the FM keeps the assignment until the queue move is confirmed. */
  private keepFmAssigned(after: BotState, firstSeen: boolean): void {
    if (after.step === 'completed' || after.transfer?.confirmed_by) return;
    const fm = this.fields.fm.toLowerCase();
    if (this.obs.issue.assignees.some((a) => a.toLowerCase() === fm)) return;
    if (!firstSeen) {
      const key = keys.fmReassigned(after.step_since);
      if (shouldPost(this.obs.comments, key, true)) this.comment('fm-reassigned', key, this.common(after));
    }
    this.assigneeChanges.push({ kind: 'add-assignees', target: this.target, logins: [this.fields.fm] });
  }

  private openTransferRequest(after: BotState): Decision {
    const values = { ...this.common(after), ...plainView(this.fields, after, this.view) };
    const title = this.ctx.messages.render('transfer-request-title', this.view.locale, plainView(this.fields, after, this.view)).split('\n')[0]?.trim() ?? '';
    const body = withMarker(fit(this.ctx.messages.render('transfer-request', this.view.locale, { ...this.common(after), plain: values })), keys.transferRequestFor(this.ref()));
    const repo = this.config.assignmentRepo;
    const sameOwner = repo.owner.toLowerCase() === this.target.repo.owner.toLowerCase();
    const effect: Effect = {
      kind: 'open-transfer-request',
      repo,
      title: title.slice(0, 256),
      body,
      labels: [this.labels.name('queue-transfer')],
      assignees: this.config.assignmentAssignees,
      parent: sameOwner ? this.target : null,
    };
    return { outcome: 'in-progress', state: after, fields: this.fields, problems: [], effects: [effect], warnings: this.warnings, opensTransferRequest: true };
  }

  /** Reopens the request when offboarding is entered again; cancels it when offboarding is undone. */
  private manageTransferRequest(after: BotState): void {
    const t = this.obs.transferRequest;
    if (!t) return;
    const target = { repo: t.repo, number: t.number };
    if (after.step === 'offboarding' && t.state === 'closed') {
      const key = keys.transferReopened(after.step_since);
      if (shouldPost(t.comments, key, true)) this.comment('transfer-reopened', key, this.common(after), target, this.transferEffects);
      this.transferEffects.push({ kind: 'reopen-issue', target });
    }
    if (stepIndex(after.step) < stepIndex('offboarding') && t.state === 'open') {
      const key = keys.transferCancelled(after.step_since);
      if (shouldPost(t.comments, key, true)) this.comment('transfer-cancelled', key, this.common(after), target, this.transferEffects);
      this.transferEffects.push({ kind: 'close-issue', target, reason: 'not_planned' });
    }
  }

  /** Completion: the FM steps off, the transfer request and the engagement close. */
  private close(state: BotState): void {
    const fm = this.fields.fm.toLowerCase();
    const assigned = this.obs.issue.assignees.find((a) => a.toLowerCase() === fm);
    if (assigned) this.assigneeChanges.push({ kind: 'remove-assignees', target: this.target, logins: [assigned] });
    const t = this.obs.transferRequest;
    if (t && t.state === 'open') {
      const target = { repo: t.repo, number: t.number };
      const key = keys.transferDone(state.step_since);
      // A completing receipt (this run's, or an earlier one carrying this key) already told the team.
      const told = this.transferEffects.some((e) => e.kind === 'comment' && e.key !== key && e.body.includes(marker(key)));
      if (!told && shouldPost(t.comments, key, true)) this.comment('transfer-completed', key, this.common(state), target, this.transferEffects);
      this.transferEffects.push({ kind: 'close-issue', target, reason: 'completed' });
    }
    if (this.obs.issue.state === 'open') this.closing.push({ kind: 'close-issue', target: this.target, reason: 'completed' });
  }

  /**
   * A completed engagement is final. A run after completion only finishes what a failed run left
   * (summary, unassignment, closing); a person reopening it is respected and told once.
   */
  private afterCompletion(before: BotState): BotState {
    const last = before.history.at(-1);
    const trigger = this.obs.trigger;
    let state = before;
    const reopenedByPerson = this.obs.issue.state === 'open' && trigger.kind === 'issues' && trigger.action === 'reopened' && last?.via !== 'reopened';
    if (reopenedByPerson) {
      state = { ...before, history: [...before.history, { at: this.nowIso, by: this.actor, from: 'completed', to: 'completed', via: 'reopened' }] };
    }
    const reopened = state.history.at(-1);
    if (reopened?.via === 'reopened') {
      const key = keys.reopened(reopened.at);
      if (shouldPost(this.obs.comments, key, reopened.at === this.nowIso)) this.comment('reopened-after-completion', key, this.common(state));
      return state;
    }
    // A run that died after recording the completion may have left its receipt unposted.
    this.confirm('completed', state.transfer ? { ...state.transfer } : null, state.step_since);
    this.postEntry(state, false, false, { undone: [], appended: [] });
    this.close(state);
    return state;
  }

  private tooLong(before: BotState): Decision {
    // Keyed on the FM's text: the same too-long description is answered once, whatever the event.
    const key = keys.invalid(`body-too-long/${digest(this.parsed.source.fmYaml)}`);
    const effects: Effect[] = [];
    const problem: Problem = { code: 'body-too-long', length: this.obs.issue.body.length, limit: 65_536 };
    if (shouldPost(this.obs.comments, key, false)) {
      const body = this.ctx.messages.render('body-too-long', this.view.locale, problemView(problem));
      effects.push({ kind: 'comment', target: this.target, key, template: 'body-too-long', body: withMarker(fit(body), key) });
    }
    this.warnings.push(`${this.ref()}: the body is too long for the bot to record its state (${problem.length} characters)`);
    return { outcome: 'too-long', state: before, fields: this.fields, problems: [problem], effects, warnings: this.warnings, opensTransferRequest: false };
  }
}

function engagementLabels(config: Config) {
  return { engagement: code(config.labels.engagement) };
}
