// vitest globalSetup: no test leaves anything in the temp folder.
// The tests run with TMPDIR pointed at a fresh folder of their own inside the system's temp folder
// (child processes inherit it), so that what they leave is theirs and not another process's on the
// same machine. At the end that folder must be empty: anything left is listed and fails the run;
// then the folder is removed. The system's temp folder is compared before and after too, and any
// entry that appeared is listed (another process may have made it, so it only warns).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function entries(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
}

export default function setup(): () => void {
  const system = tmpdir();
  const before = entries(system);
  const own = mkdtempSync(join(system, 'engagement-bot-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = own;

  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const left = [...entries(own)].sort();
    rmSync(own, { recursive: true, force: true });
    const appeared = [...entries(system)].filter((e) => !before.has(e)).sort();
    if (appeared.length > 0) {
      console.warn(`temp check: ${appeared.length} new entr${appeared.length === 1 ? 'y' : 'ies'} in ${system} during the tests (not under their TMPDIR, so maybe another process's): ${appeared.join(', ')}`);
    }
    if (left.length > 0) {
      // An error thrown here is printed but leaves vitest's exit code at 0, hence exitCode.
      console.error(`temp check FAILED: the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp folder (${own}, now removed): ${left.join(', ')}. Each test must remove what it makes, even when it fails.`);
      process.exitCode = 1;
      return;
    }
    console.log(`temp check: the tests left nothing in the temp folder; ${system} has the same entries as before${appeared.length ? ' but for the ones listed above' : ''}.`);
  };
}
