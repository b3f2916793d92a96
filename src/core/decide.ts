// The decision core: (what is on the engagement now, now, config) → (new state, effects).
// Pure and level-triggered: it derives the step from the labels and confirmations on the issue,
// never from which event arrived, so a dropped, repeated, late or coalesced event ends in the
// same state. Every message carries a marker; a message whose marker is already on the issue is
// not posted again, which is what makes re-runs and resumed runs safe.
import { repoName } from '../process/settings.js';
import { localeWritten, type BotState, type EngagementFields } from '../process/engagement.js';
import type { Effect } from './plan.js';
import { factsFor, type DecisionContext, type Facts } from './facts.js';
import { parseEngagement, renderBodyWithinLimit, type ParseResult, type Problem } from '../process/frontmatter.js';
import { restoreBotKeys, restoredMessage } from './hand-edits.js';
import { frontMatterFromForm } from '../process/intake.js';
import { LabelSet } from '../process/labels.js';
import { code } from '../messages/markdown.js';
import { problemValues } from '../messages/problems.js';
import { digest, keys } from '../process/markers.js';
import { initialState, labelsPastGap, progressOf, stateAfter, transferFor } from './next-state.js';
import type { EngagementRead } from '../process/engagement-read.js';
import { finalStep } from '../process/playbook.js';
import { answerConfirmations, owedReactions, recoverConfirmation } from './queue-move.js';
import { comment, common, hasMarker, shouldPost } from './say.js';
import { entryMessage, fmAssignment, labelsReport, stallFlag, taskAcknowledgement } from './step-messages.js';
import { closingEffects, duplicatesClosed, openingEffect, requestFollowsStep, requestOnHold } from './transfer-request.js';
import { inWriteOrder } from './write-order.js';
import { recordedMoves, withRecord } from './record.js';
import { duplicateCopies } from './duplicates.js';
import { liveStatus, outdatedMessages } from './status.js';
import { boardRefusal, boardValues } from './board.js';

export type { DecisionContext } from './facts.js';
export { BOT_ACTOR } from './facts.js';

export type Outcome = 'not-an-engagement' | 'invalid' | 'closed' | 'too-long' | 'in-progress' | 'completed';

export interface Decision {
  outcome: Outcome;
  /** The engagement's state once the effects are applied; null when it cannot be read. */
  state: BotState | null;
  /** The FM's keys, when the front-matter is valid (for reports). */
  fields: EngagementFields | null;
  /** The playbook the engagement runs, when the front-matter is valid. */
  playbook: string | null;
  /** The front-matter's problems, when it is invalid. */
  problems: Problem[];
  effects: Effect[];
  /** Warning annotations for the run log, for maintainers. */
  warnings: string[];
  /** The transfer request must be opened first; decide again once it exists. */
  opensTransferRequest: boolean;
}

/** `parsed`: the body's front-matter, when the caller has parsed it already (the scan, which needs it first). */
export function decide(obs: EngagementRead, ctx: DecisionContext, parsed: ParseResult = parseEngagement(obs.issue.body, ctx.config.playbooks)): Decision {
  const labels = new LabelSet(obs.issue.labels, ctx.config);
  if (!labels.has('engagement') || labels.has('queue-transfer') || labels.has('engagement-dashboard')) {
    return { outcome: 'not-an-engagement', state: null, fields: null, playbook: null, problems: [], effects: [], warnings: [], opensTransferRequest: false };
  }
  // An engagement opened with the issue form: its answers become the front-matter first.
  const fromForm = !parsed.ok && parsed.problems[0]?.code === 'no-front-matter' ? frontMatterFromForm(obs.issue.body) : null;
  const reading = fromForm === null ? obs : { ...obs, issue: { ...obs.issue, body: fromForm } };
  const read = fromForm === null ? parsed : parseEngagement(fromForm, ctx.config.playbooks);
  const decision = read.ok ? decideValid(factsFor(reading, read, ctx, labels)) : invalid(reading, read.problems, ctx);
  // The converted body is written even when the state is not (a closed or invalid engagement).
  if (fromForm !== null && !decision.effects.some((e) => e.kind === 'update-body')) {
    decision.effects.unshift({ kind: 'update-body', target: { repo: obs.issue.repo, number: obs.issue.number }, body: fromForm, why: 'front-matter from the issue form' });
  }
  return decision;
}

/** A problem in one line of English, for logs and reports. */
export function describeProblem(p: Problem): string {
  const where = 'line' in p ? ` (line ${p.line}, column ${p.column})` : '';
  const key = 'key' in p ? `${p.key}: ` : '';
  return `${key}${p.code}${'detail' in p ? ` ${p.detail}` : ''}${'value' in p ? ` "${p.value}"` : ''}${where}`;
}

function invalid(obs: EngagementRead, problems: Problem[], ctx: DecisionContext): Decision {
  const target = { repo: obs.issue.repo, number: obs.issue.number };
  const key = keys.invalid(digest(JSON.stringify(problems)));
  const effects: Effect[] = [];
  // Without the comments (scheduled runs) the bot cannot know it already said this: it stays quiet.
  if (obs.comments !== null && !hasMarker(obs.comments, key)) {
    const values = { problems: problems.map(problemValues), labels: { engagement: code(ctx.config.labels.engagement) } };
    // In the engagement's language when its `locale:` line can still be read, whatever else is broken.
    const locale = localeWritten(obs.issue.body) ?? ctx.config.locale;
    effects.push({ kind: 'comment', target, key, template: 'validation-error', locale, values, extraKeys: [] });
  }
  const warning = `${repoName(obs.issue.repo)}#${obs.issue.number}: front-matter is invalid: ${problems.map(describeProblem).join('; ')}`;
  return { outcome: 'invalid', state: null, fields: null, playbook: null, problems, effects, warnings: [warning], opensTransferRequest: false };
}

function result(f: Facts, outcome: Outcome, state: BotState | null, effects: Effect[], warnings: string[], extra: Partial<Decision> = {}): Decision {
  return { outcome, state, fields: f.fields, playbook: f.playbook.name, problems: [], effects, warnings, opensTransferRequest: false, ...extra };
}

function unknownKeyWarnings(f: Facts): string[] {
  const ref = `${repoName(f.target.repo)}#${f.target.number}`;
  return f.parsed.unknownKeys.map((u) => `${ref}: unknown front-matter key "${u.key}" kept as is${u.suggestion ? ` (did you mean "${u.suggestion}"?)` : ''}`);
}

function decideValid(f: Facts): Decision {
  const warnings = [...unknownKeyWarnings(f), ...boardRefusal(f)];
  const restored = restoreBotKeys(f);
  // The body's state with the moves the bot's comments record merged in (a racing write may have lost some).
  const recorded = recordedMoves([f.obs.comments, f.obs.transferRequest?.comments, ...(f.obs.duplicateRequests ?? []).map((r) => r.comments)]);
  const firstSeen = restored.state === null && recorded.length === 0;
  const merged = withRecord(restored.state ?? initialState(f), recorded, f.playbook, f.labels);
  // A confirmation is recorded in its receipt too: a body write that lost it does not lose it.
  const before = { ...merged, transfer: recoverConfirmation(f, merged.transfer, merged) };
  if (f.obs.issue.state === 'closed' && before.step !== finalStep(f.playbook)) return result(f, 'closed', firstSeen ? null : before, firstSeen ? [] : [...requestOnHold(f, before), ...duplicatesClosed(f, before)], warnings);
  const request = f.obs.transferRequest;
  const effects = [
    ...restoredMessage(f, restored),
    ...playbookChangeRefused(f, before, firstSeen),
    ...duplicateCopies(f.obs.comments, f.target),
    ...(request ? duplicateCopies(request.comments, { repo: request.repo, number: request.number }) : []),
  ];
  const moved = before.step === finalStep(f.playbook) ? afterCompletion(f, before) : reconcile(f, before, firstSeen);
  if ('opening' in moved) return result(f, 'in-progress', moved.state, [moved.opening], warnings, { opensTransferRequest: true });
  effects.push(...duplicatesClosed(f, moved.state));
  // The live status after the step's own message, then the older messages folded away.
  const shown = [...liveStatus(f, moved.state), ...outdatedMessages(f, moved.state), ...owedReactions(f), ...boardValues(f, moved.state)];
  const body = renderBodyWithinLimit(f.parsed.source, moved.state, f.view.locale);
  if (body === null) return tooLong(f, before, warnings);
  if (body !== f.obs.issue.body) effects.unshift({ kind: 'update-body', target: f.target, body, why: why(before, moved.state, firstSeen) });
  const outcome = moved.state.step === finalStep(f.playbook) ? 'completed' : 'in-progress';
  return result(f, outcome, moved.state, inWriteOrder([...effects, ...moved.effects, ...shown], f.target), warnings);
}

function why(before: BotState, after: BotState, firstSeen: boolean): string {
  if (firstSeen) return `start tracking (${after.step})`;
  if (before.step !== after.step) return `${before.step} → ${after.step}`;
  return 'record state';
}

/** The front-matter asks for another playbook than the one the engagement runs: refused, once per request. */
function playbookChangeRefused(f: Facts, state: BotState, firstSeen: boolean): Effect[] {
  const requested = f.parsed.requested;
  if (firstSeen || requested.name === f.playbook.name) return [];
  const key = keys.playbookChangeRefused(requested.name, state.history[0]?.at ?? state.step_since);
  if (!shouldPost(f.obs.comments, key, false)) return [];
  return [comment(f, 'playbook-change-refused', key, { ...common(f, state), requested: code(requested.name), running: code(f.playbook.name) })];
}

type Moved = { state: BotState; effects: Effect[] } | { state: BotState; opening: Effect };

/** The engagement while it is open and not yet completed: labels and confirmations decide. */
function reconcile(f: Facts, before: BotState, firstSeen: boolean): Moved {
  const { progress, skipped, conflicting } = progressOf(f, before);
  const gaps = labelsPastGap(f.playbook, progress, before, skipped);
  const reached = progress.reached;
  const answers = answerConfirmations(f, reached, transferFor(f, before, reached), before);
  const completes = reached === f.playbook.handoff.step && progress.taskDone && answers.transfer?.confirmed_by;
  const step = completes ? finalStep(f.playbook) : reached;
  const after = stateAfter(f, before, { step, progress, skipped, confirmedHere: answers.recorded }, answers.transfer);
  const entered = firstSeen || after.step_since !== before.step_since;
  // The transfer request is opened first, alone: everything else needs its number.
  if ((step === f.playbook.handoff.step || step === finalStep(f.playbook)) && f.obs.transferRequest === null) return { state: after, opening: openingEffect(f, after) };
  const appended = after.history.slice(before.history.length);
  const stall = stallFlag(f, after, entered);
  const state = { ...after, stalled_since: stall.stalledSince };
  const removals = [...gaps.undone, ...gaps.outOfOrder, ...conflicting].map((l): Effect => ({ kind: 'remove-label', target: f.target, label: f.labels.name(l) }));
  // The flag belongs to one entry of a step: gone once the engagement moves (or a racing run moved it).
  if (f.labels.has('stalled') && (entered || stall.stalledSince === null)) removals.push({ kind: 'remove-label', target: f.target, label: f.labels.name('stalled') });
  const final = step === finalStep(f.playbook);
  const effects = [
    ...answers.replies,
    ...entryMessage(f, state, { firstSeen, entered, undone: gaps.undone, appended }),
    ...stall.effects,
    ...labelsReport(f, state, gaps.outOfOrder, conflicting, entered),
    ...removals,
    ...taskAcknowledgement(f, state),
    ...fmAssignment(f, state, firstSeen, final),
    ...requestFollowsStep(f, state),
    ...(final ? closingEffects(f, state, answers.replies) : []),
  ];
  return { state, effects };
}

/**
 * A completed engagement is final. A run after completion only finishes what a failed run left
 * (summary, unassignment, closing); a person reopening it is respected and told once.
 */
function afterCompletion(f: Facts, before: BotState): Moved {
  const last = before.history.at(-1);
  const t = f.obs.trigger;
  const reopenedByPerson = f.obs.issue.state === 'open' && t.kind === 'issues' && t.action === 'reopened' && last?.via !== 'reopened';
  const final = finalStep(f.playbook);
  const state = reopenedByPerson ? { ...before, history: [...before.history, { at: f.nowIso, by: f.actor, from: final, to: final, via: 'reopened' }] } : before;
  const reopened = state.history.at(-1);
  if (reopened?.via === 'reopened') {
    const key = keys.reopened(reopened.at);
    const told = shouldPost(f.obs.comments, key, reopened.at === f.nowIso) ? [comment(f, 'reopened-after-completion', key, common(f, state))] : [];
    return { state, effects: told };
  }
  // A run that died after recording the completion may have left its receipt unposted.
  const answers = answerConfirmations(f, final, state.transfer ? { ...state.transfer } : null, state);
  const effects = [...answers.replies, ...entryMessage(f, state, { firstSeen: false, entered: false, undone: [], appended: [] }), ...closingEffects(f, state, answers.replies)];
  return { state, effects };
}

function tooLong(f: Facts, before: BotState, warnings: string[]): Decision {
  // Keyed on the FM's text: the same too-long description is answered once, whatever the event.
  const key = keys.invalid(`body-too-long/${digest(f.parsed.source.fmYaml)}`);
  const problem: Problem = { code: 'body-too-long', length: f.obs.issue.body.length, limit: 65_536 };
  const effects: Effect[] = [];
  if (shouldPost(f.obs.comments, key, false)) {
    effects.push({ kind: 'comment', target: f.target, key, template: 'body-too-long', locale: f.view.locale, values: problemValues(problem), extraKeys: [] });
  }
  warnings.push(`${repoName(f.target.repo)}#${f.target.number}: the body is too long for the bot to record its state (${problem.length} characters)`);
  return result(f, 'too-long', before, effects, warnings, { problems: [problem] });
}
