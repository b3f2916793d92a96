// Setup mode: creates every label the action uses, or brings its colour and description up to
// date, under the names the `labels` input gives. Running it again changes nothing.
import { sendWrites } from '../github/send-plan.js';
import { sameRepo, type Config, type RepoRef } from '../process/settings.js';
import type { Effect, Write } from '../core/plan.js';
import type { GitHub, LabelDefinition } from '../github/port.js';
import { labelDefinition, labelKeys } from '../process/labels.js';

/** The labels each repository needs: every playbook's here; the transfer label where requests are opened. */
function wanted(config: Config): Array<{ repo: RepoRef; keys: readonly string[] }> {
  const here = { repo: config.repo, keys: labelKeys(config.playbooks.all) };
  return sameRepo(config.repo, config.assignmentRepo) ? [here] : [here, { repo: config.assignmentRepo, keys: ['queue-transfer'] as const }];
}

export function labelChanges(repo: RepoRef, keys: readonly string[], existing: LabelDefinition[], config: Config): Effect[] {
  const effects: Effect[] = [];
  for (const key of keys) {
    const definition = labelDefinition(key, config.playbooks.all);
    if (!definition) continue;
    const label: LabelDefinition = { name: config.labels[key] ?? key, ...definition };
    const found = existing.find((l) => l.name.toLowerCase() === label.name.toLowerCase());
    if (!found) effects.push({ kind: 'create-label', repo, label });
    else if (found.color.toLowerCase() !== label.color || found.description !== label.description) {
      effects.push({ kind: 'update-label', repo, name: found.name, label: { ...label, name: found.name } });
    }
  }
  return effects;
}

export async function runSetupMode(config: Config, gh: GitHub): Promise<Effect[]> {
  const effects: Effect[] = [];
  for (const { repo, keys } of wanted(config)) {
    const changes = labelChanges(repo, keys, await gh.listLabels(repo), config);
    if (!config.dryRun) await sendWrites(gh, changes as Write[]);
    effects.push(...changes);
  }
  return effects;
}
