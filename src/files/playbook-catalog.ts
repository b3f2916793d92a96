// The playbooks one run knows: the configured one (the `playbook` input, the default for an
// engagement that names none) and every built-in one, which an engagement may name instead.
import { BUILT_IN_PLAYBOOKS, DEFAULT_PLAYBOOK, loadPlaybook } from './playbook-file.js';
import type { Playbook, PlaybookCatalog } from '../process/playbook.js';

export type { PlaybookCatalog } from '../process/playbook.js';


export function catalogWith(configured: Playbook): PlaybookCatalog {
  const builtIns = BUILT_IN_PLAYBOOKS.map((name) => loadPlaybook(name));
  return { default: configured, all: [configured, ...builtIns.filter((p) => p.name !== configured.name)] };
}

let builtIn: PlaybookCatalog | null = null;
export function builtInCatalog(): PlaybookCatalog {
  builtIn ??= catalogWith(loadPlaybook(DEFAULT_PLAYBOOK));
  return builtIn;
}
