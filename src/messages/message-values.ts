// The values templates receive. Everything a person wrote passes through `inline` (or sits in a
// fenced block) here, once, so no template can show a field value as Markdown, HTML or a mention.
import { repoName, type Config } from '../process/settings.js';
import { formatDate } from '../process/dates.js';
import type { BotState, EngagementFields, Locale } from '../process/engagement.js';
import { code, codeBlock, inline, markedAsPeoples, mention, quotedText, teamMention, unmarked } from './markdown.js';
import type { IssueView, TransferRequestView } from '../process/engagement-read.js';
import type { Playbook } from '../process/playbook.js';
import { queuesOf } from '../process/queues.js';
import { regionName } from '../process/region.js';
import type { Messages } from './messages.js';

/** Longest `mailto:` link offered; longer drafts are copied from the blocks instead. */
export const MAX_MAILTO_LENGTH = 1900;

export interface MessageContext {
  config: Config;
  locale: Locale;
  playbook: Playbook;
}

export function localeOf(fields: EngagementFields | null, config: Config): Locale {
  return fields?.locale ?? config.locale;
}

export function issueRef(from: { repo: IssueView['repo'] }, to: { repo: IssueView['repo']; number: number }): string {
  const same = from.repo.owner.toLowerCase() === to.repo.owner.toLowerCase() && from.repo.name.toLowerCase() === to.repo.name.toLowerCase();
  return same ? `#${to.number}` : `${repoName(to.repo)}#${to.number}`;
}

const camel = (key: string) => key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Every label as inline code, by its key in camelCase (`follow-up-done` → `followUpDone`). */
function labelView(config: Config) {
  return Object.fromEntries(Object.entries(config.labels).map(([key, name]) => [camel(key), code(name)]));
}

function playbookView(ctx: MessageContext) {
  const { playbook, locale } = ctx;
  return { name: playbook.name, title: playbook.title[locale], milestone: playbook.milestone[locale], servicesLabel: playbook.servicesLabel[locale] };
}

function taskView(ctx: MessageContext) {
  const { task } = ctx.playbook;
  return { id: task.id, name: task.name[ctx.locale], ftopName: task.ftopName[ctx.locale] };
}

/** Values shared by every message about an engagement. */
export function engagementValues(
  fields: EngagementFields,
  state: BotState,
  issue: IssueView,
  transfer: TransferRequestView | null | undefined,
  ctx: MessageContext,
) {
  const { config, locale, playbook } = ctx;
  const queues = queuesOf(playbook, config, locale);
  const queue = queues[fields.region];
  const date = (value: string | null) => (value === null ? null : formatDate(value, locale, config.timezone));
  return {
    customer: inline(fields.customer),
    tenant: inline(fields.tenant),
    region: regionName(fields.region, locale),
    queue: inline(queue),
    queueCode: code(queue),
    fm: fields.fm,
    fmMention: mention(fields.fm),
    fmName: inline(fields.fmName ?? fields.fm),
    // Addresses as inline code: they copy as written, and nothing in a code span mentions anyone.
    customerContacts: fields.customerContacts.map((c) => ({ name: c.name === null ? null : inline(c.name), email: code(c.email) })),
    /** Who may confirm the queue move: the team and the logins the workflow names. */
    confirmers: { team: config.assignmentTeam ? teamMention(config.assignmentTeam) : null, logins: config.assignmentTeamMembers.map(mention) },
    accountTeam: fields.accountTeam.map((c) => ({ name: c.name === null ? null : inline(c.name), email: code(c.email) })),
    hasAccountTeam: fields.accountTeam.length > 0,
    services: fields.services.map(inline),
    completedActivities: fields.completedActivities.map(inline),
    step: state.step,
    stepCode: code(state.step),
    stepName: playbook.steps.find((s) => s.key === state.step)?.name[locale] ?? state.step,
    stepSince: date(state.step_since),
    ...recordedView(state),
    taskDone: Object.values(state.tasks).includes('done'),
    confirmed: state.transfer?.confirmed_by != null,
    confirmedBy: state.transfer?.confirmed_by ? mention(state.transfer.confirmed_by) : null,
    confirmedAt: date(state.transfer?.confirmed_at ?? null),
    nextActionDate: state.next_action_date,
    nextActionDateText: date(state.next_action_date),
    completedAt: date(state.completed_at),
    labels: labelView(config),
    taskLabel: code(config.labels[playbook.task.label] ?? playbook.task.label),
    command: code(playbook.handoff.command),
    task: taskView(ctx),
    playbook: playbookView(ctx),
    keyInputs: playbook.keyInputs[locale],
    keyOutputs: playbook.keyOutputs[locale],
    nextSteps: playbook.nextSteps[locale],
    transferRequest: transfer ? { ref: issueRef(issue, transfer), url: transfer.url } : null,
    engagement: { ref: `${repoName(issue.repo)}#${issue.number}`, url: issue.url },
    assignmentTeam: config.assignmentTeam ? teamMention(config.assignmentTeam) : null,
    queues: Object.values(queues).map(code),
  };
}

/** What the alternatives recorded, by key in camelCase (`workload_ready` → `workloadReady`). */
function recordedView(state: BotState): Record<string, boolean | null> {
  return Object.fromEntries(Object.entries(state.recorded).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), v]));
}

/** The same values unescaped, for plain-text templates (e-mail drafts, titles) shown in code blocks. */
export function plainValues(fields: EngagementFields, state: BotState, ctx: MessageContext) {
  const { config, locale } = ctx;
  return {
    customer: fields.customer,
    tenant: fields.tenant,
    region: regionName(fields.region, locale),
    queue: queuesOf(ctx.playbook, config, locale)[fields.region],
    fm: fields.fm,
    fmName: fields.fmName ?? fields.fm,
    customerContacts: fields.customerContacts.map((c) => ({ name: c.name, email: c.email })),
    confirmers: { team: config.assignmentTeam ? `@${config.assignmentTeam.org}/${config.assignmentTeam.slug}` : null, logins: config.assignmentTeamMembers.map((l) => `@${l}`) },
    accountTeam: fields.accountTeam.map((c) => ({ name: c.name, email: c.email })),
    hasAccountTeam: fields.accountTeam.length > 0,
    services: fields.services,
    completedActivities: fields.completedActivities,
    ...recordedView(state),
    nextActionDate: state.next_action_date,
    nextActionDateText: state.next_action_date === null ? null : formatDate(state.next_action_date, locale, config.timezone),
    task: taskView(ctx),
    playbook: playbookView(ctx),
    command: ctx.playbook.handoff.command,
  };
}

export interface EmailDraft {
  toBlock: string | null;
  ccBlock: string | null;
  subjectBlock: string;
  /** The body as a block quote of its lines: it wraps, reads whole and copies as the text. */
  bodyBlock: string;
  mailto: string | null;
}

/**
 * The values with every text marked as people's (see `quotedText`), but for the links the bot
 * itself made (`…Url`, e.g. `transferRequestUrl`), which stay links.
 */
function markedValues(values: unknown, top = true): unknown {
  if (typeof values === 'string') return markedAsPeoples(values);
  if (Array.isArray(values)) return values.map((v) => markedValues(v, false));
  if (values === null || typeof values !== 'object') return values;
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, top && k.endsWith('Url') && typeof v === 'string' && /^https:\/\/\S+$/.test(v) ? v : markedValues(v, false)]),
  );
}

/**
 * Renders a plain-text e-mail template (first line `Subject: …`, then the body) into what a person
 * copies: To, Cc and Subject as code blocks, the body as a block quote that wraps (people's text in
 * it escaped), and a `mailto:` link when it stays short enough for mail clients.
 */
export function emailDraft(messages: Messages, name: string, values: object, to: string[], cc: string[], locale: Locale): EmailDraft {
  const text = messages.render(name, locale, markedValues(values) as object);
  const [first = '', ...rest] = text.split('\n');
  const subject = unmarked(first.replace(/^Subject:\s*/i, '')).trim();
  const marked = rest.join('\n').replace(/^\s*\n/, '').trimEnd();
  const body = unmarked(marked);
  const query = [
    cc.length > 0 ? `cc=${cc.map(encodeURIComponent).join(',')}` : null,
    `subject=${encodeURIComponent(subject)}`,
    `body=${encodeURIComponent(body.replace(/\n/g, '\r\n'))}`,
  ].filter((part) => part !== null);
  const mailto = `mailto:${to.map(encodeURIComponent).join(',')}?${query.join('&')}`.replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return {
    toBlock: to.length > 0 ? codeBlock(to.join('; ')) : null,
    ccBlock: cc.length > 0 ? codeBlock(cc.join('; ')) : null,
    subjectBlock: codeBlock(subject),
    bodyBlock: quotedText(marked),
    mailto: mailto.length <= MAX_MAILTO_LENGTH ? mailto : null,
  };
}

/** Steps by their names in the message's language, as inline code, for "passed through" lists. */
export function stepList(steps: string[], ctx: Pick<MessageContext, 'playbook' | 'locale'>): string[] {
  return steps.map((s) => code(ctx.playbook.steps.find((spec) => spec.key === s)?.name[ctx.locale] ?? s));
}
