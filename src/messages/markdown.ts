// Making untrusted text safe to show on GitHub. Field values and comment text are written by
// people; once escaped they render as the literal text, with no HTML, no Markdown structure, no
// @-mention and no issue reference.

const ZERO_WIDTH_SPACE = '\u200B';

/** Text for inline Markdown (a sentence, a list item, a table cell). */
export function inline(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~])/g, '\\$1')
    // Break what GitHub would otherwise turn into a mention (@user, @org/team) or a reference (#12).
    .replace(/@/g, `@${ZERO_WIDTH_SPACE}`)
    .replace(/\\#/g, `#${ZERO_WIDTH_SPACE}`)
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`);
}

/** A fenced code block whose fence is longer than any run of backticks inside the text. */
export function codeBlock(text: string, info = 'text'): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${info}\n${text.replace(/\r\n?/g, '\n')}\n${fence}`;
}

/** Inline code for names the bot itself controls (labels, commands, queue names). */
export function code(text: string): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** An intended @-mention of a validated login; anything else is shown as escaped text. */
export function mention(login: string): string {
  return LOGIN.test(login) ? `@${login}` : inline(login);
}

/** An intended @-mention of a team `org/slug`. */
export function teamMention(team: { org: string; slug: string }): string {
  return /^[A-Za-z0-9-]+$/.test(team.org) && /^[A-Za-z0-9._-]+$/.test(team.slug) ? `@${team.org}/${team.slug}` : inline(`${team.org}/${team.slug}`);
}
