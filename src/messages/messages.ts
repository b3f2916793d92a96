// The messages the engine knows by name, and what renders them: the loader at the edge
// (files/templates.ts) compiles the Handlebars files; everything else sees only this interface.
import type { Locale } from '../process/engagement.js';
import type { Playbook } from '../process/playbook.js';

/**
 * The engine's own messages, each a file `<name>.md.hbs` (or `.txt.hbs`). A playbook names the
 * rest (its steps' messages and e-mail drafts), found by the same rule.
 */
export const MESSAGE_FILES = {
  'step-undone': 'step-undone.md.hbs',
  'transfer-request-title': 'transfer-request-title.txt.hbs',
  'transfer-request': 'transfer-request.md.hbs',
  'transfer-cancelled': 'transfer-cancelled.md.hbs',
  'transfer-reopened': 'transfer-reopened.md.hbs',
  'transfer-paused': 'transfer-paused.md.hbs',
  'transfer-completed': 'transfer-completed.md.hbs',
  'transfer-duplicate': 'transfer-duplicate.md.hbs',
  'confirmation-receipt': 'confirmation-receipt.md.hbs',
  'confirmation-refused': 'confirmation-refused.md.hbs',
  'task-recorded': 'task-recorded.md.hbs',
  'labels-out-of-order': 'labels-out-of-order.md.hbs',
  'fm-reassigned': 'fm-reassigned.md.hbs',
  'bot-keys-restored': 'bot-keys-restored.md.hbs',
  'playbook-change-refused': 'playbook-change-refused.md.hbs',
  'reopened-after-completion': 'reopened-after-completion.md.hbs',
  'validation-error': 'validation-error.md.hbs',
  'body-too-long': 'body-too-long.md.hbs',
  stalled: 'stalled.md.hbs',
  status: 'status.md.hbs',
  dashboard: 'dashboard.md.hbs',
  'dashboard-title': 'dashboard-title.txt.hbs',
  'scan-summary': 'scan-summary.md.hbs',
} as const;
export type MessageName = string;
export const MESSAGE_NAMES = Object.keys(MESSAGE_FILES);

/** The templates a playbook names: its steps' messages and e-mail drafts. */
export function playbookTemplates(playbooks: Playbook[]): string[] {
  return [...new Set(playbooks.flatMap((p) => p.steps.flatMap((s) => [s.message, ...s.emails.map((e) => e.template)])))];
}

export interface Messages {
  render(name: MessageName, locale: Locale, values: object): string;
}
