// A front-matter problem as the templates that describe it receive it (the partial `_problem.md.hbs`,
// used by the problem comment, the dashboard and the job summary): every field present (null when
// the problem has none), people's text escaped, keys and names as inline code.
import type { Problem } from '../process/frontmatter.js';
import { code, inline } from './markdown.js';

const NUMBERS = ['got', 'expected', 'line', 'column', 'length', 'limit'] as const;

export function problemValues(p: Problem) {
  const has = (k: string) => k in p;
  const get = (k: string) => (p as unknown as Record<string, unknown>)[k];
  return {
    ...p,
    key: has('key') ? code(get('key') as string) : null,
    value: has('value') ? inline(get('value') as string) : null,
    detail: has('detail') ? inline(get('detail') as string) : null,
    written: has('written') && get('written') ? code(get('written') as string) : null,
    known: has('known') ? (get('known') as string[]).map(code) : null,
    ...Object.fromEntries(NUMBERS.map((k) => [k, has(k) ? get(k) : null])),
  };
}
