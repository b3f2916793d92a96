// What one decision about one engagement knows: the engagement as read, its playbook, the
// configuration and the instant of the run. Read-only; every rule of the decision core takes it.
import type { Config } from '../process/settings.js';
import type { EngagementFields } from '../process/engagement.js';
import type { IssueTarget } from '../process/settings.js';
import type { ParsedEngagement } from '../process/frontmatter.js';
import type { LabelSet } from '../process/labels.js';
import type { EngagementRead, Trigger } from '../process/engagement-read.js';
import type { Playbook } from '../process/playbook.js';
import { localeOf, type MessageContext } from '../messages/message-values.js';
import { isoTime } from '../process/dates.js';
import type { BotState } from '../process/engagement.js';
import { currentEntry, entryId } from './record.js';

export interface DecisionContext {
  config: Config;
  now: Date;
}

export interface Facts {
  readonly obs: EngagementRead;
  readonly parsed: ParsedEngagement;
  readonly playbook: Playbook;
  readonly fields: EngagementFields;
  readonly config: Config;
  readonly now: Date;
  readonly nowIso: string;
  /** Who is recorded in history for what this run changes. */
  readonly actor: string;
  readonly labels: LabelSet;
  readonly target: IssueTarget;
  readonly view: MessageContext;
}

/** The login recorded in history for changes the bot makes on its own (scheduled runs). */
export const BOT_ACTOR = 'engagement-bot';

export function actorOf(trigger: Trigger): string {
  return trigger.kind === 'scan' ? BOT_ACTOR : trigger.sender;
}

export function factsFor(obs: EngagementRead, parsed: ParsedEngagement, ctx: DecisionContext, labels: LabelSet): Facts {
  const playbook = parsed.playbook;
  return {
    obs,
    parsed,
    playbook,
    fields: parsed.fields,
    config: ctx.config,
    now: ctx.now,
    nowIso: isoTime(ctx.now),
    actor: actorOf(obs.trigger),
    labels,
    target: { repo: obs.issue.repo, number: obs.issue.number },
    view: { config: ctx.config, locale: localeOf(parsed.fields, ctx.config), playbook },
  };
}

/** Which entry of its step a state is in, as messages about it are keyed (`discussion/2`). */
export function entryIdOf(f: Facts, state: BotState): string {
  const entry = currentEntry(state.history, f.playbook, f.labels);
  return entry ? entryId(entry) : `${state.step}/1`;
}

/** The label the trigger added, as a label key, if it added one. */
export function addedLabel(f: Facts): string | null {
  const t = f.obs.trigger;
  return t.kind === 'issues' && t.action === 'labeled' ? f.labels.keyOf(t.label) : null;
}
