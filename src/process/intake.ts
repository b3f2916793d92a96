// The engagement issue form (examples/ISSUE_TEMPLATE/engagement.yml) produces a body of
// `### Label` sections. This turns those answers into the front-matter the bot works from,
// keeping the answers below it, so an engagement opened with the form is like any other.
import { Document } from 'yaml';
import { FM_KEYS } from './engagement.js';

/**
 * Form labels (folded) → front-matter keys. Labels may be reworded a little: they match by words.
 * In this order: a label is the first field whose words it has, so the longer names come before
 * the ones they start with ("Customer contacts" before "Customer", "FM name" before "FM").
 */
const FIELDS: Array<{ key: (typeof FM_KEYS)[number]; words: RegExp; list?: 'lines' | 'contacts' }> = [
  { key: 'customer_contacts', words: /customer contacts?|contatos? do cliente/, list: 'contacts' },
  { key: 'account_team', words: /account team|equipe de conta/, list: 'contacts' },
  { key: 'completed_activities', words: /completed activities|atividades concluidas/, list: 'lines' },
  { key: 'fm_name', words: /^fm name\b|^nome do fm\b|^nome do gerente/ },
  { key: 'customer', words: /^customer\b|^cliente\b/ },
  { key: 'tenant', words: /^tenant\b/ },
  { key: 'region', words: /^region\b|^regiao\b/ },
  { key: 'fm', words: /fast ?track manager|^fm\b|gerente fast ?track/ },
  { key: 'services', words: /^services\b|^servicos\b|workloads?/, list: 'lines' },
  { key: 'locale', words: /^language\b|^locale\b|^idioma\b/ },
  { key: 'playbook', words: /^playbook\b|^guia estrategico\b|^edition\b/ },
];

const NO_RESPONSE = /^_no response_$/i;

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();
}

function lines(value: string): string[] {
  return value
    .split('\n')
    .map((l) => l.replace(/^\s*(?:[-*+]|\d+\.)\s+/, '').trim())
    .filter((l) => l !== '' && !NO_RESPONSE.test(l));
}

function contact(line: string): string | { name: string; email: string } {
  const named = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(line);
  return named && named[1] ? { name: named[1].replace(/^["']|["']$/g, ''), email: named[2] as string } : line;
}

/**
 * The body with front-matter built from the form's answers, or null when the body is not an
 * answered engagement form (it has none of the required fields).
 */
export function frontMatterFromForm(body: string): string | null {
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const text = body.replace(/\r\n/g, '\n');
  const sections = [...text.matchAll(/^###[ \t]+(.+?)[ \t]*\n([\s\S]*?)(?=^###[ \t]|(?![\s\S]))/gm)];
  const values: Record<string, unknown> = {};
  for (const [, label, raw] of sections) {
    const field = FIELDS.find((f) => f.words.test(fold(label as string)));
    if (!field || field.key in values) continue;
    const value = (raw as string).trim();
    if (field.list === 'lines') values[field.key] = lines(value);
    else if (field.list === 'contacts') values[field.key] = lines(value).map(contact);
    else if (value !== '' && !NO_RESPONSE.test(value)) values[field.key] = value.split('\n')[0]?.trim();
  }
  if (!['customer', 'tenant', 'region', 'fm'].some((k) => k in values)) return null;
  // The keys in the order the README lists them.
  const ordered: Record<string, unknown> = {};
  for (const key of FM_KEYS) if (key in values) ordered[key] = values[key];
  const yaml = new Document(ordered).toString({ lineWidth: 0 });
  return `---${eol}${yaml.replace(/\n/g, eol)}---${eol}${eol}${body}`;
}
