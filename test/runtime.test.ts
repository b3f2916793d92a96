// The tests run on the Node the action declares (action.yml `runs.using: node24`), which is the
// `node` devDependency that `npm run` and `npm test` put first on PATH; so does dist/index.js,
// which the end-to-end tests start with process.execPath.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as { runs: { using: string } };
const major = (version: string) => Number(/(\d+)/.exec(version)?.[1]);

describe('Node 24 everywhere', () => {
  it("package.json's engines, its node devDependency, @types/node and ncc's target agree with action.yml", () => {
    const runtime = major(action.runs.using);
    expect(runtime).toBe(24);
    expect(pkg.engines.node).toBe(`>=${runtime}`);
    expect(pkg.devDependencies.node).toMatch(new RegExp(`^${runtime}\\.\\d+\\.\\d+$`));
    expect(major(pkg.devDependencies['@types/node'] ?? '')).toBe(runtime);
    expect(pkg.scripts.bundle).toContain('--target es2024');
  });

  it('the tests run on it, and so does the child process the end-to-end tests start', () => {
    expect(process.versions.node).toBe(pkg.devDependencies.node);
    expect(execFileSync(process.execPath, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim()).toBe(pkg.devDependencies.node);
  });
});
