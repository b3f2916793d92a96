// A message as the decision core says it: which template, in which language, with which values,
// and the e-mail drafts it embeds. Rendering is left to the edge (render.ts), so deciding never
// touches a template.
import type { Locale } from '../process/engagement.js';

export interface DraftIntent {
  /** A plain-text e-mail template: first line `Subject: …`, then the body. */
  template: string;
  values: object;
  to: string[];
  cc: string[];
}

export interface MessageIntent {
  template: string;
  locale: Locale;
  values: object;
  /** E-mail drafts rendered first and given to the template as values of these names (null: none). */
  drafts?: Record<string, DraftIntent | null>;
}
