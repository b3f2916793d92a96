// The assignment team confirms the queue move with the playbook's command, on the transfer
// request or on the engagement. Every command gets one answer: a receipt that also records the
// confirmation (so a body write lost to a race is rebuilt from it), or a refusal saying why.
import type { BotState, Transfer } from '../process/engagement.js';
import type { Effect, Reaction } from './plan.js';
import type { Facts } from './facts.js';
import { code, inline, mention } from '../messages/markdown.js';
import { keys, markersIn } from '../process/markers.js';
import type { ConfirmationAttempt } from '../process/engagement-read.js';
import { finalStep } from '../process/playbook.js';
import { isEntry } from './record.js';
import { queuesOf, regionOfQueue } from '../process/queues.js';
import { comment, common } from './say.js';

/** The entry of the handoff step a confirmation belongs to (`<step>/2`: its second entry), as the state after this run has it. */
export function handoffEntry(f: Facts, state: BotState): string {
  const handoff = f.playbook.handoff.step;
  const entries = state.history.filter((h) => h.to === handoff && (h.from === null || isEntry(h, f.playbook, f.labels))).length;
  const entering = state.step !== handoff && state.step !== finalStep(f.playbook);
  return `${handoff}/${Math.max(1, entries + (entering ? 1 : 0))}`;
}

/**
 * A confirmation the bot acknowledged but whose write was lost (two runs racing on one body) is
 * read back from the bot's own receipt, which names the entry of the handoff step it confirmed.
 * Returns the transfer with it, or as it was.
 */
export function recoverConfirmation(f: Facts, transfer: Transfer | null, state: BotState): Transfer | null {
  if (!transfer || transfer.confirmed_by !== null || transfer.requested_at === null) return transfer;
  const entry = handoffEntry(f, state);
  const receipts = [...(f.obs.comments ?? []), ...[f.obs.transferRequest, ...(f.obs.duplicateRequests ?? [])].flatMap((r) => r?.comments ?? [])].filter((c) => c.byBot);
  for (const key of receipts.flatMap((c) => markersIn(c.body))) {
    const m = /^confirmed\/\d+\/([^/]+)\/([^/]+)(?:\/(.+))?$/.exec(key);
    if (!m) continue;
    // Receipts without the entry (older ones): a confirmation made after the request was.
    const ours = m[3] !== undefined ? m[3] === entry : Date.parse(m[2] as string) >= Date.parse(transfer.requested_at);
    if (ours) return { ...transfer, confirmed_by: m[1] as string, confirmed_at: m[2] as string };
  }
  return transfer;
}

export interface Answers {
  transfer: Transfer | null;
  /** Whether a confirmation was recorded in this run. */
  recorded: boolean;
  replies: Effect[];
}

/** Answers each unanswered command, recording the first valid one. */
export function answerConfirmations(f: Facts, step: string, transfer: Transfer | null, state: BotState): Answers {
  let current = transfer;
  let recorded = false;
  const replies: Effect[] = [];
  for (const attempt of f.obs.confirmations) {
    const refusal = refusalOf(f, attempt, step, current);
    if (refusal) {
      replies.push(reply(f, attempt, 'confirmation-refused', refusal, state, [keys.verdict(attempt.commentId, false)]), ...reaction(f, attempt, 'THUMBS_DOWN'));
      continue;
    }
    const t = current as Transfer;
    const isRecorded = t.confirmed_by === attempt.author && t.confirmed_at === attempt.createdAt;
    const already = t.confirmed_by !== null && !isRecorded;
    const recordedNow = t.confirmed_by === null;
    if (recordedNow) {
      current = { ...t, confirmed_by: attempt.author, confirmed_at: attempt.createdAt };
      recorded = true;
    }
    replies.push(receipt(f, attempt, { isRecorded, already, recordedNow, confirmedBy: (current as Transfer).confirmed_by }, state), ...reaction(f, attempt, 'THUMBS_UP'));
  }
  return { transfer: current, recorded, replies };
}

interface ReceiptFacts {
  isRecorded: boolean;
  already: boolean;
  recordedNow: boolean;
  confirmedBy: string | null;
}

function receipt(f: Facts, attempt: ConfirmationAttempt, r: ReceiptFacts, state: BotState): Effect {
  const taskDone = f.labels.has(f.playbook.task.label);
  const completes = taskDone && !r.already;
  // The receipt is also the record of the confirmation; one that completes is the closing note too.
  const extraKeys = [keys.verdict(attempt.commentId, true), ...(r.isRecorded || r.recordedNow ? [keys.confirmed(attempt.commentId, attempt.author, attempt.createdAt, handoffEntry(f, state))] : [])];
  if (completes && attempt.on === 'transfer-request') extraKeys.push(keys.transferDone());
  const values = { already: r.already, by: mention(attempt.author), confirmedBy: r.confirmedBy ? mention(r.confirmedBy) : null, completes, waitingForTask: !taskDone };
  return reply(f, attempt, 'confirmation-receipt', values, state, extraKeys);
}

function refusalOf(f: Facts, attempt: ConfirmationAttempt, step: string, transfer: Transfer | null): object | null {
  const base = { by: mention(attempt.author), queues: Object.values(queuesOf(f.playbook, f.config, f.view.locale)).map(code), command: code(f.playbook.handoff.command) };
  if ((step !== f.playbook.handoff.step && step !== finalStep(f.playbook)) || transfer === null) return { ...base, reason: 'not-requested' };
  // Separation of duties: the engagement's own FM never confirms their own queue move.
  if (attempt.author.toLowerCase() === f.fields.fm.toLowerCase()) return { ...base, reason: 'own-engagement' };
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
  if (attempt.queue === null) return null;
  const region = regionOfQueue(attempt.queue, f.playbook, f.config);
  if (!region) return { ...base, reason: 'unknown-queue', named: inline(attempt.queue) };
  if (region !== f.fields.region) return { ...base, reason: 'wrong-queue', named: code(queuesOf(f.playbook, f.config, f.view.locale)[region]), expected: code(transfer.queue) };
  return null;
}

/** Where the command was posted: the engagement, the request, or a duplicate of it. */
function postedOn(f: Facts, attempt: ConfirmationAttempt) {
  const t = f.obs.transferRequest;
  return attempt.on === 'transfer-request' ? (attempt.request ?? (t ? { repo: t.repo, number: t.number } : f.target)) : f.target;
}

/** The receipt on the command itself, besides the reply: 👍 accepted, 👎 refused. */
function reaction(f: Facts, attempt: ConfirmationAttempt, content: Reaction): Effect[] {
  return attempt.nodeId ? [{ kind: 'add-reaction', target: postedOn(f, attempt), commentId: attempt.commentId, nodeId: attempt.nodeId, content }] : [];
}

function reply(f: Facts, attempt: ConfirmationAttempt, template: string, values: object, state: BotState, extraKeys: string[] = []): Effect {
  const target = postedOn(f, attempt);
  return comment(f, template, keys.reply(attempt.commentId), { ...common(f, state), ...values }, target, extraKeys);
}

/**
 * Reactions still owed on commands already answered: a plan whose reaction GitHub refused (the
 * reply went through) leaves the command without its receipt; the next run that reads it adds it.
 */
export function owedReactions(f: Facts): Effect[] {
  const t = f.obs.transferRequest;
  const places = [
    { target: f.target, comments: f.obs.comments },
    ...[t, ...(f.obs.duplicateRequests ?? [])].flatMap((r) => (r ? [{ target: { repo: r.repo, number: r.number }, comments: r.comments }] : [])),
  ];
  const verdicts = new Map<number, boolean>();
  for (const { comments } of places) {
    for (const c of comments ?? []) {
      if (!c.byBot) continue;
      for (const key of markersIn(c.body)) {
        const m = /^verdict\/(\d+)\/(accepted|refused)$/.exec(key);
        if (m) verdicts.set(Number(m[1]), m[2] === 'accepted');
      }
    }
  }
  return places.flatMap(({ target, comments }) =>
    (comments ?? []).flatMap((c): Effect[] => {
      const accepted = verdicts.get(c.id);
      if (accepted === undefined || c.byBot || c.reactedByBot === undefined) return [];
      const content = accepted ? 'THUMBS_UP' : 'THUMBS_DOWN';
      return c.reactedByBot.includes(content) ? [] : [{ kind: 'add-reaction', target, commentId: c.id, nodeId: c.nodeId, content }];
    }),
  );
}
