// Making untrusted text safe to show on GitHub. Field values and comment text are written by
// people; once escaped they render as the literal text, with no HTML, no Markdown structure, no
// @-mention and no issue reference.

const ZERO_WIDTH_SPACE = '\u200B';

/**
 * An `@` GitHub could read as the start of a mention (`@user`, `@org/team`): one at the start or
 * after anything but a letter or digit. The `@` inside an address (`ana@contoso.com`) mentions no
 * one, so it is left as it is and the address copies cleanly.
 */
const MENTION_START = /(?<![A-Za-z0-9])@/g;

/** Text for inline Markdown (a sentence, a list item, a table cell). */
export function inline(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+\-.!|~])/g, '\\$1')
    // Break what GitHub would otherwise turn into a mention (@user, @org/team) or a reference (#12).
    .replace(MENTION_START, `@${ZERO_WIDTH_SPACE}`)
    .replace(/\\#/g, `#${ZERO_WIDTH_SPACE}`)
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`);
}

/** Opens and closes text a person wrote inside a rendered e-mail (see `quotedText`). */
export const PEOPLE_OPEN = '\uE000';
export const PEOPLE_CLOSE = '\uE001';
const PEOPLE_MARKS = /[\uE000\uE001]/g;

/** The text without the marks around people's text. */
export function unmarked(text: string): string {
  return text.replace(PEOPLE_MARKS, '');
}

/** Text a person wrote, marked as such for `quotedText` (its own marks removed first). */
export function markedAsPeoples(text: string): string {
  return text === '' ? text : `${PEOPLE_OPEN}${unmarked(text)}${PEOPLE_CLOSE}`;
}

/**
 * The bot's own text of a plain-text message for Markdown, shown as the characters it is: HTML
 * and the inline syntax escaped, a mention broken; links the template itself writes stay links.
 */
function ownText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]|~])/g, '\\$1')
    .replace(MENTION_START, `@${ZERO_WIDTH_SPACE}`);
}

/** A line that Markdown would read as a block (list item, heading, rule, quote, code): shown as text. */
function plainLine(line: string): string {
  const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
  const rest = line
    .slice(indent.length)
    .replace(/^([-+=#])/, '\\$1')
    .replace(/^(\d{1,9})([.)])/, '$1\\$2');
  // Leading spaces would make an indented code block: kept as non-breaking spaces.
  return `${'&nbsp;'.repeat(indent.replace(/\t/g, '    ').length)}${rest}`;
}

/**
 * Plain text (an e-mail body) as a Markdown block quote that reads as the text, line for line, and
 * wraps. Text between `PEOPLE_OPEN` and `PEOPLE_CLOSE` was written by a person and is escaped as
 * `inline` escapes it (no mention, reference or link); the rest is the template's own text.
 */
export function quotedText(text: string): string {
  const parts = text.replace(/\r\n?/g, '\n').split(/([\uE000\uE001])/);
  let peoples = false;
  let escaped = '';
  for (const part of parts) {
    if (part === PEOPLE_OPEN) peoples = true;
    else if (part === PEOPLE_CLOSE) peoples = false;
    else escaped += peoples ? part.split('\n').map(inline).join('\n') : ownText(part);
  }
  return escaped
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${plainLine(line)}`))
    .join('\n');
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
