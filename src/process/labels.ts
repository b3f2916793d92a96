// Labels: the engine's own (the engagement marker, stalled, the transfer request, the dashboard)
// and each playbook's, all renamable with the `labels` input. An issue's labels are looked up by
// their built-in name (the key), case-insensitively, whatever they are called in the repository.
import { stepLabels, type Playbook } from './playbook.js';

export const ENGINE_LABELS = {
  engagement: { color: '0e8a16', description: 'FastTrack engagement tracked by engagement-bot' },
  stalled: { color: 'd93f0b', description: 'engagement-bot: no progress for longer than expected' },
  'queue-transfer': { color: 'fbca04', description: 'Tenant transfer request for the assignment team' },
  'engagement-dashboard': { color: 'c5def5', description: 'engagement-bot: dashboard of open engagements' },
  'on-hold': { color: 'bfd4f2', description: 'The engagement is paused: the scheduled run does not flag it as stalled' },
} as const;
export type EngineLabel = keyof typeof ENGINE_LABELS;

/** Every label key a run knows: the engine's, then each playbook's in order, once each. */
export function labelKeys(playbooks: Playbook[]): string[] {
  return [...new Set([...Object.keys(ENGINE_LABELS), ...playbooks.flatMap((p) => Object.keys(p.labels))])];
}

/** Colour and description of a label, for `mode: setup`. */
export function labelDefinition(key: string, playbooks: Playbook[]): { color: string; description: string } | null {
  if (key in ENGINE_LABELS) return ENGINE_LABELS[key as EngineLabel];
  return playbooks.find((p) => key in p.labels)?.labels[key] ?? null;
}

/** The labels, looked up by label key. */
export class LabelSet {
  private readonly names: Set<string>;
  constructor(
    labels: string[],
    private readonly config: { labels: Record<string, string> },
  ) {
    this.names = new Set(labels.map((l) => l.toLowerCase()));
  }
  has(key: string): boolean {
    return this.names.has(this.name(key).toLowerCase());
  }
  /** The label's name in this repository. */
  name(key: string): string {
    return this.config.labels[key] ?? key;
  }
  /** The label key for a label name, if it is one of the run's labels. */
  keyOf(name: string | undefined): string | null {
    if (name === undefined) return null;
    const folded = name.toLowerCase();
    const entry = Object.entries(this.config.labels).find(([, n]) => n.toLowerCase() === folded);
    return entry ? entry[0] : null;
  }
  /** The playbook's step labels on the issue. */
  stepLabels(playbook: Playbook): Set<string> {
    return new Set(stepLabels(playbook).filter((l) => this.has(l)));
  }
}

export interface LabelDefinition {
  name: string;
  color: string;
  description: string;
}
