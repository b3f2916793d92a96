// Where the action's own files are: the folder holding action.yml, above src/files/ in the
// repository and above dist/ in the bundled action, wherever the runner unpacked it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function actionRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  while (!existsSync(join(dir, 'action.yml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`engagement-bot: action.yml not found above ${fileURLToPath(from)}; the action's files are incomplete`);
    dir = up;
  }
  return dir;
}
