// For `npm run demo` only: a thread's Markdown as a reader sees it on GitHub, reduced to plain
// text for a terminal. It covers what the bot writes (GitHub issue Markdown, where a line break
// is a line break): headings, emphasis, task lists and lists, links, inline and fenced code,
// block quotes and alerts, <details>, simple tables, backslash escapes, HTML comments (the
// bot's hidden markers) and entities. It is not a full CommonMark renderer.

const GUTTER = { quote: '▌ ', details: '  │ ' };
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };
/** A link's address is shown after its text only when it is at most this long. */
const SHORT_URL = 60;

/** An issue body: the front-matter stays YAML (it is what the FM edits), without hidden markers; the rest is rendered. */
export function bodyText(body: string): string {
  const frontMatter = /^---\n[\s\S]*?\n---\n/.exec(body.replace(/\r\n?/g, '\n'))?.[0] ?? '';
  const yaml = frontMatter.replace(/<!--[\s\S]*?-->\n?/g, '');
  return [yaml.trimEnd(), plainText(body.replace(/\r\n?/g, '\n').slice(frontMatter.length))].filter(Boolean).join('\n\n');
}

/** Markdown rendered to plain text. */
export function plainText(markdown: string): string {
  const text = blocks(markdown.replace(/\r\n?/g, '\n').split('\n')).join('\n');
  return text.replace(/\n{3,}/g, '\n\n').trim();
}

function blocks(lines: string[]): string[] {
  const out: string[] = [];
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    // HTML comments, on one line or several, are not shown; a line that held only a comment goes.
    let line = lines[i] as string;
    const hadText = line.trim() !== '';
    if (inComment) {
      const end = line.indexOf('-->');
      if (end === -1) continue;
      line = line.slice(end + 3);
      inComment = false;
    }
    line = line.replace(/\s*<!--[\s\S]*?-->/g, '');
    if (line.includes('<!--')) {
      line = line.slice(0, line.indexOf('<!--'));
      inComment = true;
    }
    if (hadText && line.trim() === '') continue;

    const fence = /^(\s*)(`{3,}|~{3,})/.exec(line);
    if (fence) {
      const [, indent = '', marker = ''] = fence;
      const closing = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      let end = i + 1;
      while (end < lines.length && !closing.test(lines[end] as string)) end++;
      for (const code of lines.slice(i + 1, end)) out.push(`${indent}    ${code.startsWith(indent) ? code.slice(indent.length) : code.trimStart()}`.trimEnd());
      i = end;
      continue;
    }

    const details = /^\s*<details[^>]*>(.*)$/i.exec(line);
    if (details) {
      const inner = [details[1] ?? ''];
      let depth = 1;
      for (i++; i < lines.length; i++) {
        const next = lines[i] as string;
        depth += (next.match(/<details[\s>]/gi)?.length ?? 0) - (next.match(/<\/details>/gi)?.length ?? 0);
        if (depth <= 0) {
          inner.push(next.replace(/<\/details>\s*$/i, ''));
          break;
        }
        inner.push(next);
      }
      const at = inner.findIndex((l) => /<summary[^>]*>[\s\S]*?<\/summary>/i.test(l));
      const summary = at === -1 ? 'Details' : inline((/<summary[^>]*>([\s\S]*?)<\/summary>/i.exec(inner[at] as string)?.[1] ?? '').trim());
      if (at !== -1) inner[at] = (inner[at] as string).replace(/<summary[^>]*>[\s\S]*?<\/summary>/i, '');
      out.push(`▸ ${summary}`, ...prefixed(GUTTER.details, blocks(inner)));
      continue;
    }

    if (/^\s{0,3}>/.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && /^\s{0,3}>/.test(lines[i] as string); i++) quoted.push((lines[i] as string).replace(/^\s{0,3}> ?/, ''));
      i--;
      // GitHub alerts: "> [!IMPORTANT]" becomes a titled block, "Important".
      const alert = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$/i.exec(quoted[0] ?? '');
      if (alert) quoted[0] = `**${(alert[1] as string).charAt(0).toUpperCase()}${(alert[1] as string).slice(1).toLowerCase()}**`;
      out.push(...prefixed(GUTTER.quote, blocks(quoted)));
      continue;
    }

    if (/^\s*\|/.test(line)) {
      const rows: string[][] = [];
      for (; i < lines.length && /^\s*\|/.test(lines[i] as string); i++) {
        const row = (lines[i] as string).trim().replace(/^\||\|$/g, '');
        if (!/^[\s|:-]+$/.test(row)) rows.push(row.split(/(?<!\\)\|/).map((cell) => inline(cell.trim())));
      }
      i--;
      const widths = rows.reduce<number[]>((w, row) => row.map((cell, c) => Math.max(w[c] ?? 0, width(cell))), []);
      for (const row of rows) out.push(row.map((cell, c) => cell + ' '.repeat((widths[c] ?? 0) - width(cell))).join('  ').trimEnd());
      continue;
    }

    const heading = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading) {
      const title = inline(heading[2] ?? '');
      out.push(title);
      if ((heading[1] as string).length <= 3) out.push('─'.repeat(width(title)));
      continue;
    }

    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push('─'.repeat(40));
      continue;
    }

    const task = /^(\s*)[-*+]\s+\[([ xX])\]\s+(.*)$/.exec(line);
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    const numbered = /^(\s*)(\d{1,9}[.)])\s+(.*)$/.exec(line);
    if (task) out.push(`${task[1]}[${(task[2] as string).toLowerCase()}] ${inline(task[3] ?? '')}`);
    else if (bullet) out.push(`${bullet[1]}• ${inline(bullet[2] ?? '')}`);
    else if (numbered) out.push(`${numbered[1]}${numbered[2]} ${inline(numbered[3] ?? '')}`);
    // A paragraph line; a trailing backslash or two spaces (a hard line break) is not shown.
    else out.push(inline(line.replace(/(\\| {2,})$/, '')).trimEnd());
  }
  return out;
}

/** One line of inline Markdown as plain text. */
export function inline(text: string): string {
  // Escapes and code spans first, left to right, set aside so that nothing else reads inside them.
  const held: string[] = [];
  const hold = (value: string) => `\uE000${held.push(value) - 1}\uE001`;
  const restore = (value: string): string => value.replace(/\uE000(\d+)\uE001/g, (_, n: string) => restore(held[Number(n)] ?? ''));
  let t = text.replace(/\\([!-/:-@[-`{-~])|(`+)(.+?)(?<!`)\2(?!`)/g, (_, escaped?: string, _ticks?: string, code?: string) =>
    hold(escaped ?? (/^ .*[^ ].* $/.test(code ?? '') ? (code as string).slice(1, -1) : (code ?? ''))),
  );
  t = t
    .replace(/<((?:https?:\/\/|mailto:)[^\s>]+)>/g, (_, url: string) => hold(shownUrl(restore(url)) ?? restore(url)))
    .replace(/!\[([^\]]*)\]\((?:<[^>]*>|[^)\s]*)(?:\s+"[^"]*")?\)/g, (_, alt: string) => `[image: ${alt}]`)
    .replace(/\[([^\]]*)\]\((?:<([^>]*)>|([^)\s]*))(?:\s+"[^"]*")?\)/g, (_, label: string, angled?: string, bare?: string) => {
      const url = restore(angled ?? bare ?? '');
      const shown = shownUrl(url);
      if (!label.trim()) return hold(shown ?? url);
      return shown && shown !== restore(label) ? `${label} (${hold(shown)})` : label;
    })
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '')
    .replace(/(\*\*|__)(?=\S)(.*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=[^\s*])([^*]*?[^\s*])?\*(?!\w)/g, (_, before: string, inner = '') => `${before}${inner}`)
    .replace(/(^|[^\p{L}\p{N}_])_(?=[^\s_])([^_]*?[^\s_])?_(?![\p{L}\p{N}_])/gu, (_, before: string, inner = '') => `${before}${inner}`)
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith('#')) return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? entity;
    });
  // The zero-width spaces the bot puts in people's text (to break mentions and links) are not seen.
  return restore(t).replace(/\u200B/g, '');
}

/** A link's address as shown after its text: whole when short, a long mail link by its recipients and length. */
function shownUrl(url: string): string | null {
  if (url.length <= SHORT_URL) return url;
  if (!url.startsWith('mailto:')) return null;
  const query = url.indexOf('?');
  let to = url.slice('mailto:'.length, query === -1 ? undefined : query);
  try {
    to = decodeURIComponent(to);
  } catch {
    // Shown as written.
  }
  if (to.length > SHORT_URL) to = `${to.slice(0, SHORT_URL)}…`;
  return `mailto:${to}${query === -1 ? '' : '?…'} (${url.length.toLocaleString('en-US')} characters)`;
}

/** Rendered lines inside a block (a quote, a <details>), behind the block's gutter. */
function prefixed(gutter: string, lines: string[]): string[] {
  const tidy = lines.join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+|\s+$/g, '');
  return tidy.split('\n').map((l) => (l ? `${gutter}${l}` : gutter.trimEnd()));
}

function width(text: string): number {
  return [...text].length;
}
