// Turns message intents into the text GitHub receives: drafts first, then the template, cut to
// GitHub's size, marked with the key that makes it idempotent (and any further keys it records).
import { marker, withMarker } from '../process/markers.js';
import type { MessageIntent } from './intent.js';
import { emailDraft } from './message-values.js';
import type { Messages } from './messages.js';

/** Room left under GitHub's 65,536-character limit for the markers a comment carries. */
const MAX_MESSAGE = 60_000;

/** A message no longer than GitHub accepts: however large the fields, posting never fails on size. */
export function fit(text: string): string {
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE).trimEnd()}\n\n…`;
}

/** The message's text, unmarked. */
export function renderMessage(messages: Messages, intent: MessageIntent): string {
  const drafts: Record<string, unknown> = {};
  for (const [name, draft] of Object.entries(intent.drafts ?? {})) {
    drafts[name] = draft === null ? null : emailDraft(messages, draft.template, draft.values, draft.to, draft.cc, intent.locale);
  }
  return messages.render(intent.template, intent.locale, { ...intent.values, ...drafts });
}

/** A comment's body: the message, fitted, with its key and `extraKeys` each on a line of its own at the end. */
export function renderMarked(messages: Messages, intent: MessageIntent, key: string, extraKeys: readonly string[] = []): string {
  let body = withMarker(fit(renderMessage(messages, intent)), key);
  for (const extra of extraKeys) body = `${body}${marker(extra)}\n`;
  return body;
}

/** A one-line text (an issue title): the first line of the rendered message. */
export function renderLine(messages: Messages, intent: MessageIntent, max: number): string {
  return (renderMessage(messages, intent).split('\n')[0] ?? '').trim().slice(0, max);
}
