// Messages are Handlebars files under templates/<locale>/, one per message; code only passes
// values. Values that come from people are escaped before they reach a template (message-values.ts), so
// templates are compiled without a second, HTML-only escaping pass.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { actionRoot } from './action-root.js';
import { LOCALES, type Locale } from '../process/engagement.js';
import type { Playbook } from '../process/playbook.js';
import { builtInCatalog } from './playbook-catalog.js';
import { MESSAGE_FILES, playbookTemplates, type Messages } from '../messages/messages.js';
import { unmarked } from '../messages/markdown.js';

export { MESSAGE_FILES, MESSAGE_NAMES, playbookTemplates, type MessageName, type Messages } from '../messages/messages.js';

/** The file of a message: `<name>.md.hbs`, or `<name>.txt.hbs` for plain text (e-mails, titles). */
function fileOf(name: string, exists: (file: string) => boolean): string {
  const known = (MESSAGE_FILES as Record<string, string>)[name];
  if (known) return known;
  return exists(`${name}.txt.hbs`) && !exists(`${name}.md.hbs`) ? `${name}.txt.hbs` : `${name}.md.hbs`;
}

/** Partials (files starting with `_`) usable from any template of the same locale. */
export const PARTIAL_FILES = ['_email-draft.md.hbs', '_engagement-summary.md.hbs', '_problem.md.hbs'] as const;


/**
 * Where the built-in templates are: `templates/` beside `src/` in the repository and beside `dist/`
 * in the action. Built from parts so the bundler reads them from there instead of copying them.
 */
export const BUILT_IN_TEMPLATES = join(actionRoot(), 'templates');

export class TemplateError extends Error {
  override name = 'TemplateError';
}

function registerHelpers(hb: typeof Handlebars): void {
  // E-mail templates get people's text marked (message-values.ts, `emailDraft`): compared without the marks.
  const bare = (value: unknown) => (typeof value === 'string' ? unmarked(value) : value);
  hb.registerHelper('eq', (a: unknown, b: unknown) => bare(a) === bare(b));
  // A phrase as a sentence: "the task is complete" → "The task is complete".
  hb.registerHelper('sentence', (text: unknown) => (typeof text === 'string' ? `${text.replace(/^([\uE000\uE001]*)(.)/su, (_, marks: string, c: string) => marks + c.toUpperCase())}.` : ''));
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('not', (a: unknown) => !a);
  // Joins already-safe strings: "a, b and c" style is left to templates via `last`.
  hb.registerHelper('join', (list: unknown, separator: unknown) =>
    Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ', ') : '',
  );
}

function readTemplate(dir: string, file: string): string | null {
  const path = join(dir, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/**
 * Loads and compiles every template of every locale. `overrideDir` (the `templates-path` input)
 * replaces built-in files by name: `<dir>/<locale>/<file>`, or `<dir>/<file>` for every locale.
 */
export function loadMessages(options: { builtIn?: string; overrideDir?: string | null; playbooks?: Playbook[] } = {}): Messages {
  const builtIn = options.builtIn ?? BUILT_IN_TEMPLATES;
  const hb = Handlebars.create();
  registerHelpers(hb);
  const cache = new Map<string, HandlebarsTemplateDelegate>();
  const partials = new Map<Locale, Record<string, HandlebarsTemplateDelegate>>();
  // A locale is available when the built-in set has its folder; others fall back to English.
  const available = LOCALES.filter((locale) => existsSync(join(builtIn, locale)));

  const readOverride = (locale: Locale, file: string): string | null =>
    options.overrideDir ? (readTemplate(join(options.overrideDir, locale), file) ?? readTemplate(options.overrideDir, file)) : null;
  const compile = (locale: Locale, file: string, text: string): HandlebarsTemplateDelegate => {
    try {
      hb.parse(text); // a template that does not parse is refused when loaded, not at its first message
    } catch (error) {
      throw new TemplateError(`template ${locale}/${file} does not compile: ${String((error as Error).message).split('\n')[0]}`);
    }
    // strict: a value the template names but the view does not have is an error, not "".
    return hb.compile(text, { noEscape: true, strict: true });
  };
  // Built-in templates are compiled on first use (a run posts a message or two); overrides are
  // checked now, so a maintainer's mistake stops the run before anything is written.
  const template = (locale: Locale, file: string): HandlebarsTemplateDelegate => {
    const id = `${locale}/${file}`;
    let compiled = cache.get(id);
    if (!compiled) {
      const text = readOverride(locale, file) ?? readTemplate(join(builtIn, locale), file);
      if (text === null) throw new TemplateError(`template ${id} is missing`);
      compiled = compile(locale, file, text);
      cache.set(id, compiled);
    }
    return compiled;
  };
  const exists = (file: string) => available.some((locale) => readTemplate(join(builtIn, locale), file) !== null || readOverride(locale, file) !== null);
  requirePlaybookTemplates(options.playbooks ?? [], available, (locale, file) => readOverride(locale, file) ?? readTemplate(join(builtIn, locale), file), exists, options.overrideDir);
  if (options.overrideDir) {
    for (const locale of available) {
      for (const file of templateFiles(options.playbooks ?? builtInCatalog().all, exists)) {
        const text = readOverride(locale, file);
        if (text !== null) cache.set(`${locale}/${file}`, compile(locale, file, text));
      }
    }
  }
  const partialsOf = (locale: Locale): Record<string, HandlebarsTemplateDelegate> => {
    let found = partials.get(locale);
    if (!found) {
      found = Object.fromEntries(PARTIAL_FILES.map((file) => [file.replace(/^_/, '').replace(/\.md\.hbs$/, ''), template(locale, file)]));
      partials.set(locale, found);
    }
    return found;
  };

  return {
    render(name, locale, values) {
      const use = available.includes(locale) ? locale : 'en';
      return template(use, fileOf(name, exists))(values, { partials: partialsOf(use) }).replace(/\n{3,}/g, '\n\n').trim();
    },
  };
}

/**
 * A playbook's own templates must be there for every language before anything runs. A missing one
 * is named with the playbook file, the step and the line that names it, and where it was looked for.
 */
function requirePlaybookTemplates(playbooks: Playbook[], locales: Locale[], read: (locale: Locale, file: string) => string | null, exists: (file: string) => boolean, overrideDir: string | null | undefined): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const playbook of playbooks) {
    for (const step of playbook.steps) {
      const named = [
        { name: step.message, what: 'message', at: step.at?.message },
        ...step.emails.map((e, i) => ({ name: e.template, what: `e-mail draft \`${e.value}\``, at: step.at?.emails[i] })),
      ];
      for (const { name, what, at } of named) {
        const file = fileOf(name, exists);
        const lacking = locales.filter((locale) => read(locale, file) === null);
        if (lacking.length === 0 || seen.has(`${playbook.file} ${name}`)) continue;
        seen.add(`${playbook.file} ${name}`);
        problems.push(
          `${playbook.file}, step \`${step.key}\`, ${what} (${at ?? 'line unknown'}): template \`${name}\` has no file ${lacking.map((l) => `${l}/${file}`).join(' or ')}, ` +
            `neither built in nor in templates-path${overrideDir ? ` (${overrideDir})` : ''}. ` +
            (overrideDir ? `Add ${lacking.map((l) => `${overrideDir}/${l}/${file}`).join(' and ')}` : `Set templates-path to a directory of the checkout and add ${lacking.map((l) => `${l}/${file}`).join(' and ')} there`) +
            ', or correct the name in the playbook.',
        );
      }
    }
  }
  if (problems.length > 0) throw new TemplateError(`templates:\n- ${problems.join('\n- ')}`);
}

/** Every template file a run may use: the engine's, the playbooks', the partials. */
export function templateFiles(playbooks: Playbook[], exists: (file: string) => boolean = () => false): string[] {
  return [...playbookTemplates(playbooks).map((n) => fileOf(n, exists)), ...Object.values(MESSAGE_FILES), ...PARTIAL_FILES];
}

/** Files in an override directory that are not templates the action knows (refused at start). */
export function unknownOverrideFiles(overrideDir: string, playbooks: Playbook[] = builtInCatalog().all): string[] {
  const names = playbookTemplates(playbooks);
  const known = new Set<string>([...Object.values(MESSAGE_FILES), ...names.flatMap((n) => [`${n}.md.hbs`, `${n}.txt.hbs`]), ...PARTIAL_FILES]);
  const unknown: string[] = [];
  const visit = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && prefix === '' && (LOCALES as readonly string[]).includes(entry.name)) visit(join(dir, entry.name), `${entry.name}/`);
      else if (entry.isFile() && entry.name.endsWith('.hbs') && !known.has(entry.name)) unknown.push(prefix + entry.name);
      else if (entry.isDirectory()) unknown.push(`${prefix}${entry.name}/`);
    }
  };
  visit(overrideDir, '');
  return unknown;
}
