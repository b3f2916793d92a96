// The inactive queues an engagement's tenant moves to, in the engagement's language: the
// playbook's names, or the `queues` input's where it sets them; and how a queue named in
// `/queue-moved` is recognised, in either language.
import type { Config } from './settings.js';
import { LOCALES, type Locale } from './engagement.js';
import type { Playbook } from './playbook.js';
import { REGIONS, type Region } from './region.js';

export function queuesOf(playbook: Playbook, config: Pick<Config, 'queues'>, locale: Locale): Record<Region, string> {
  const named = config.queues[locale] ?? {};
  return Object.fromEntries(REGIONS.map((r) => [r, named[r] ?? playbook.handoff.queues[r][locale]])) as Record<Region, string>;
}

/** Every name a region's queue goes by: each language's, and the playbook's other spellings. */
function namesOf(region: Region, playbook: Playbook, config: Pick<Config, 'queues'>): string[] {
  return [...LOCALES.map((l) => queuesOf(playbook, config, l)[region]), ...playbook.handoff.aliases[region]];
}

/** The region whose queue a name means, in any language; null when it is none of them. */
export function regionOfQueue(named: string, playbook: Playbook, config: Pick<Config, 'queues'>): Region | null {
  return REGIONS.find((r) => namesOf(r, playbook, config).some((n) => sameQueueName(n, named))) ?? null;
}

/** Compares queue names the way people type them: any dash, any spacing, any case, no accents. */
export function sameQueueName(a: string, b: string): boolean {
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[\u2010-\u2015\u2212-]/g, '-')
      .replace(/\s*-\s*/g, '-')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase();
  return fold(a) === fold(b);
}
