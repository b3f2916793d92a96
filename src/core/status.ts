// The engagement's one live status: a comment of the bot's, pinned once, edited in place on every
// move. It says where the engagement stands among all steps, what happens next, the transfer
// request and who confirms, the next action date, and whether it is stalled or on hold. Older
// step messages are minimized as outdated once the engagement has moved on, so the thread's open
// work is the status and the current step's message.
import type { BotState } from '../process/engagement.js';
import type { CommentView } from '../process/engagement-read.js';
import { digest, keys, markersIn } from '../process/markers.js';
import { finalStep, stepIndex } from '../process/playbook.js';
import { code } from '../messages/markdown.js';
import { entryIdOf, type Facts } from './facts.js';
import type { Effect } from './plan.js';
import { nextLabels } from './progress.js';
import { common } from './say.js';

/**
 * The status's values: only what it shows, and only from the state and the FM's keys (no instant,
 * nothing a plan's own writes change), so an engagement that did not change leaves it as it is.
 */
function statusValues(f: Facts, state: BotState) {
  const current = stepIndex(f.playbook, state.step);
  const final = state.step === finalStep(f.playbook);
  const all = common(f, state);
  return {
    stepName: all.stepName,
    tenant: all.tenant,
    customer: all.customer,
    region: all.region,
    queue: all.queue,
    command: all.command,
    confirmers: all.confirmers,
    // Logins as code: the status is edited on every move, and a mention there would notify again and again.
    confirmedBy: state.transfer?.confirmed_by ? code(`@${state.transfer.confirmed_by}`) : null,
    confirmedAt: all.confirmedAt,
    completedAt: all.completedAt,
    nextActionDateText: all.nextActionDateText,
    task: { id: all.task.id },
    transferRequest: all.transferRequest,
    fmLogin: code(`@${f.fields.fm}`),
    steps: f.playbook.steps.map((s, i) => ({ name: s.name[f.view.locale], current: i === current, done: i < current || final })),
    position: current + 1,
    count: f.playbook.steps.length,
    completed: final,
    nextLabels: nextLabels(f.playbook, state.step).map((l) => code(f.labels.name(l))),
    waitingForConfirmation: state.step === f.playbook.handoff.step && !state.transfer?.confirmed_by,
    stalled: state.stalled_since !== null,
    onHold: f.labels.has('on-hold'),
  };
}

function statusComment(comments: CommentView[]): CommentView | undefined {
  return comments.find((c) => c.byBot && markersIn(c.body)[0] === keys.status());
}

/** Posts the status (pinned), or edits it when what it says has changed. */
export function liveStatus(f: Facts, state: BotState): Effect[] {
  // Without the comments (the scan's page of issues) the bot cannot know what the status says.
  if (f.obs.comments === null) return [];
  const values = statusValues(f, state);
  const view = keys.statusView(digest(JSON.stringify(values)));
  const message = { template: 'status', locale: f.view.locale, values };
  const existing = statusComment(f.obs.comments);
  if (!existing) return [{ kind: 'comment', target: f.target, key: keys.status(), extraKeys: [view], pin: true, ...message }];
  if (markersIn(existing.body).includes(view)) return [];
  return [{ kind: 'edit-comment', target: f.target, commentId: existing.id, nodeId: existing.nodeId, key: keys.status(), extraKeys: [view], ...message }];
}

/** The messages of earlier step entries: minimized as outdated, so they no longer look like open work. */
export function outdatedMessages(f: Facts, state: BotState): Effect[] {
  if (f.obs.comments === null) return [];
  const current = keys.stepEntry(entryIdOf(f, state));
  const stepPrefix = keys.stepEntry('');
  return f.obs.comments.flatMap((c): Effect[] => {
    const key = c.byBot && !c.minimized ? markersIn(c.body)[0] : undefined;
    return key !== undefined && key.startsWith(stepPrefix) && key !== current ? [{ kind: 'minimize-comment', target: f.target, commentId: c.id, nodeId: c.nodeId, key }] : [];
  });
}
