// The inactive queues an engagement's tenant moves to: the playbook's names, or the `queues`
// input's where it sets them; and how a queue named in `/queue-moved` is recognised.
import type { Config } from './config.js';
import type { Playbook } from './playbook.js';
import { REGIONS, type Region } from './region.js';

export function queuesOf(playbook: Playbook, config: Pick<Config, 'queues'>): Record<Region, string> {
  return { ...playbook.handoff.queues, ...config.queues };
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

/** The configured queue a name means: its own name, or one of the playbook's aliases of a queue not renamed. */
export function queueNamed(named: string, playbook: Playbook, config: Pick<Config, 'queues'>): string | null {
  const queues = queuesOf(playbook, config);
  const region = REGIONS.find(
    (r) => sameQueueName(queues[r], named) || (config.queues[r] === undefined && playbook.handoff.aliases[r].some((a) => sameQueueName(a, named))),
  );
  return region ? queues[region] : null;
}
