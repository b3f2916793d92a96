// Setup mode: creates every label the action uses, or brings its colour and description up to
// date, under the names the `labels` input gives. Running it again changes nothing.
import { sendWrites } from '../github/send-plan.js';
import { sameRepo, type BoardField, type Config, type RepoRef } from '../process/settings.js';
import type { Effect, Write } from '../core/plan.js';
import type { GitHub, LabelDefinition } from '../github/port.js';
import { labelDefinition, labelKeys } from '../process/labels.js';
import { REGIONS, regionName } from '../process/region.js';

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

/** A field the board needs, with its options (the steps and regions in the \`locale\` input's language). */
export interface BoardFieldNeed {
  /** The board's name for it (the `project-fields` input). */
  name: string;
  dataType: 'TEXT' | 'DATE' | 'SINGLE_SELECT';
  options: string[];
}

export function boardNeeds(config: Config): BoardFieldNeed[] {
  const steps = [...new Set(config.playbooks.all.flatMap((p) => p.steps.map((s) => s.name[config.locale])))];
  const needs: Array<{ field: BoardField; dataType: BoardFieldNeed['dataType']; options: string[] }> = [
    { field: 'Step', dataType: 'SINGLE_SELECT', options: steps },
    { field: 'Region', dataType: 'SINGLE_SELECT', options: REGIONS.map((r) => regionName(r, config.locale)) },
    { field: 'FM', dataType: 'TEXT', options: [] },
    { field: 'Step since', dataType: 'DATE', options: [] },
    { field: 'Next action date', dataType: 'DATE', options: [] },
  ];
  return needs.map(({ field, ...need }) => ({ name: config.projectFields[field], ...need }));
}

export interface BoardSetup {
  /** Fields created (or, in a dry run, to create). */
  created: string[];
  /** What a person must add by hand: options of an existing field, or everything when the token cannot. */
  byHand: string[];
  warning: string | null;
}

/** Checks that the board has the fields and options the bot writes, and creates the missing fields where the token may. */
export async function runBoardSetup(config: Config, gh: GitHub): Promise<BoardSetup> {
  const result: BoardSetup = { created: [], byHand: [], warning: null };
  if (!config.project) return result;
  const board = await gh.readBoard(config.project, null);
  const describe = (need: BoardFieldNeed) => `${need.name} (${need.dataType.toLowerCase().replace('_', ' ')}${need.options.length ? `: ${need.options.join(', ')}` : ''})`;
  if ('refused' in board) {
    result.warning = `The board ${config.project.url} could not be read (${board.refused}): give \`project-token\` a token that can, or create these fields by hand.`;
    result.byHand = boardNeeds(config).map(describe);
    return result;
  }
  for (const need of boardNeeds(config)) {
    const field = board.fields[need.name];
    if (!field) {
      if (!config.dryRun) {
        try {
          await gh.createBoardField(board.projectId, need);
        } catch (error) {
          result.byHand.push(`${describe(need)}: ${(error as Error).message}`);
          continue;
        }
      }
      result.created.push(describe(need));
      continue;
    }
    // Options are added by hand: replacing a field's options through the API clears every item's value.
    const missing = need.options.filter((o) => !(o in field.options));
    if (missing.length > 0) result.byHand.push(`${need.name}: add the option(s) ${missing.join(', ')}`);
  }
  return result;
}
