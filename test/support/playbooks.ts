// The built-in playbooks as the tests use them.
import { loadPlaybook } from '../../src/files/playbook-file.js';
import { stepLabels } from '../../src/process/playbook.js';

export const MIGRATION = loadPlaybook('migration');
export const ENABLEMENT = loadPlaybook('enablement');
/** The labels the FM adds in the migration playbook, in its order. */
export const STEP_LABELS = stepLabels(MIGRATION);
export const STEPS = MIGRATION.steps.map((s) => s.key);
