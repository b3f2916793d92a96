// End to end: the built dist/index.js runs as a child process exactly as the Actions runner runs
// it (INPUT_*, GITHUB_EVENT_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY…), once per webhook event
// that people's actions produce on the GitHub stand-in.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { ASSIGNER, BOT, DIST, TestWorld, WITHOUT_ACCOUNT_TEAM, WITH_ACCOUNT_TEAM, frontMatter } from './support/harness.js';
import type { StandInEvent } from './support/github-standin/index.js';

async function world(test: TestContext): Promise<TestWorld> {
  const w = await TestWorld.start();
  test.onTestFinished(() => w.close());
  return w;
}

/** Runs dist/index.js for every new event, keeping the events for a replay later. */
async function deliver(w: TestWorld, log: StandInEvent[], inputs: Record<string, string> = {}) {
  const runs = [];
  for (const event of w.newEvents()) {
    log.push(event);
    const run = await w.runDist(event, inputs);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    runs.push(run);
  }
  return runs;
}

describe.concurrent('dist/index.js as the runner runs it', () => {
  it('is built', () => {
    expect(existsSync(DIST)).toBe(true);
  });

  it('takes an engagement with an account team and a ready customer from opened to closed, and a replay changes nothing', async (test) => {
    const w = await world(test);
    const events: StandInEvent[] = [];
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    const [opened] = await deliver(w, events);
    expect(opened?.outputs).toMatchObject({ engagement: String(n), step: 'awaiting-migration' });
    // The body, the welcome, and the live status (pinned once posted).
    expect(JSON.parse(opened?.outputs.effects ?? '[]').map((e: { kind: string; key?: string }) => (e.key === 'status' ? 'comment:status' : e.kind))).toEqual(['update-body', 'comment', 'comment:status']);
    expect(opened?.summary).toContain(`Engagement #${n}`);

    const steps: string[] = [];
    for (const label of ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent', 'task-4060-done']) {
      await w.addLabel(n, label);
      const runs = await deliver(w, events);
      steps.push(runs.at(-1)?.outputs.step ?? '');
    }
    expect(steps).toEqual(['preparation', 'discussion', 'follow-up', 'offboarding', 'offboarding']);

    const request = w.issue(n).subIssues[0]?.number as number;
    expect(w.issue(request).title).toBe('Transfer tenant contoso.onmicrosoft.com to FTCQ Inactive – EMEA');
    await w.comment(request, '/queue-moved', ASSIGNER);
    const [confirmed] = await deliver(w, events);
    expect(confirmed?.outputs).toMatchObject({ engagement: String(n), step: 'completed' });
    expect(w.issue(n)).toMatchObject({ state: 'closed', stateReason: 'completed', assignees: [] });
    expect(w.issue(request).state).toBe('closed');

    const before = JSON.stringify([w.issue(n), w.issue(request)]);
    w.gh.resetLog();
    for (const event of events) {
      const replay = await w.runDist(event);
      expect(replay.code).toBe(0);
    }
    expect(w.gh.writes()).toEqual([]);
    expect(JSON.stringify([w.issue(n), w.issue(request)])).toBe(before);
  });

  it('takes an engagement without account team and a customer not ready to completion, confirmation first', async (test) => {
    const w = await world(test);
    const events: StandInEvent[] = [];
    const n = await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    await deliver(w, events);
    for (const label of ['migration-complete', 'workload-not-ready', 'follow-up-sent']) {
      await w.addLabel(n, label);
      await deliver(w, events);
    }
    await w.comment(n, '/queue-moved', ASSIGNER);
    await deliver(w, events);
    await w.addLabel(n, 'task-4060-done');
    const [last] = await deliver(w, events);
    expect(last?.outputs.step).toBe('completed');
    const thread = w.thread(n).filter((c) => c.author === BOT).map((c) => c.body);
    expect(thread.some((b) => b.includes('ATU e-mail was skipped'))).toBe(true);
    // The RFA demonstration is on the discussion agenda, once; the not-ready e-mail still says how to ask for help later.
    expect(thread.filter((b) => b.includes('Demonstrate how to fill in the RFA form'))).toHaveLength(1);
    expect(thread.some((b) => b.includes('submit a Request for Assistance (RFA)') && b.includes('later'))).toBe(true);
    expect(w.issue(n).state).toBe('closed');
  });

  it('walks a pt-BR engagement to completion, in the seed\'s own terms, with dates the Brazilian way', async (test) => {
    const w = await world(test);
    const events: StandInEvent[] = [];
    const inputs = { locale: 'pt-BR' };
    const n = await w.openEngagement(frontMatter(WITH_ACCOUNT_TEAM));
    await deliver(w, events, inputs);
    for (const label of ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent', 'task-4060-done']) {
      await w.addLabel(n, label);
      await deliver(w, events, inputs);
    }
    const request = w.issue(n).subIssues[0]?.number as number;
    await w.comment(request, '/queue-moved', ASSIGNER);
    const [done] = await deliver(w, events, inputs);
    expect(done?.outputs.step).toBe('completed');
    const thread = w.thread(n).filter((c) => c.author === BOT).map((c) => c.body).join('\n');
    for (const term of ['Gerente FastTrack', 'Solicitação de Assistência (RFA)', 'Processo de Desligamento Concluído (migração)', 'O Processo de Desligamento Está Concluído', 'obrigatória, do FM, todos os serviços', 'de dezembro de 2027', 'Suporte de Execução de Sucesso', 'Realizar Análise de Sucesso', '`migration-complete`', '`/queue-moved`']) {
      expect(thread).toContain(term);
    }
    // No English where a Brazilian FM reads: step names, queue names, the front-matter's comment line.
    for (const heading of ['### Etapa: preparação', '### Etapa: discussão', '### Etapa: acompanhamento', '### Etapa: desligamento']) expect(thread).toContain(heading);
    const visible = thread.replace(/<!-- engagement-bot:[^ ]+ -->/g, '');
    expect(visible).not.toMatch(/Etapa: (preparation|discussion|follow-up|offboarding)|\boffboarding\b|FTCQ Inactive|Offboarding Process/);
    expect(thread).toContain('FTCQ Inativo ‒ EMEA');
    expect(thread).toMatch(/- \[ \] .*FTOP/);
    expect(w.issue(n).body).toContain('# mantido pelo engagement-bot');
    expect(w.issue(request).body).toContain('FTCQ Inativo ‒ EMEA');
    expect(w.issue(n).state).toBe('closed');
  });

  it('turns an issue-form engagement into front-matter, keeping the answers below it', async (test) => {
    const w = await world(test);
    const answers = '### Customer\n\nNorthwind\n\n### Tenant\n\nnorthwind.onmicrosoft.com\n\n### Region\n\nAPJ\n\n### FastTrack Manager\n\nfm-alice\n\n### Account team\n\n_No response_\n\n### Services\n\nExchange Online\n\n### Completed activities\n\n_No response_\n\n### Language\n\n_No response_';
    const n = await w.openEngagement(answers);
    await deliver(w, []);
    const body = w.issue(n).body;
    expect(body.startsWith('---\ncustomer: Northwind\ntenant: northwind.onmicrosoft.com\nregion: APJ\nfm: fm-alice\naccount_team: []\nservices:\n  - Exchange Online\n')).toBe(true);
    expect(body.endsWith(answers)).toBe(true);
    expect(w.thread(n)[0]?.body).toContain('### Engagement completion: Northwind');
  });

  it('stops at start on a template override that uses a value that does not exist', async (test) => {
    const w = await world(test);
    const dir = mkdtempSync(join(tmpdir(), 'overrides-'));
    test.onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'welcome.md.hbs'), 'Hi {{customerName}}');
    await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    const [event] = w.newEvents();
    w.gh.resetLog();
    const run = await w.runDist(event as StandInEvent, { 'templates-path': dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('uses "customerName", which this message does not have. Values it can use:');
    expect(w.gh.requests).toEqual([]);
  });

  it('answers broken front-matter with one comment and a warning, and the run succeeds', async (test) => {
    const w = await world(test);
    const n = await w.openEngagement('---\ncustomer: Contoso\ntenant: [oops\nregion: EMEA\nfm: fm-alice\n---\n');
    const [run] = await deliver(w, []);
    expect(run?.code).toBe(0);
    expect(run?.stdout).toMatch(/::warning::.*front-matter is invalid/);
    expect(w.thread(n).filter((c) => c.author === BOT)).toHaveLength(1);
    await w.addLabel(n, 'migration-complete');
    await deliver(w, []);
    expect(w.thread(n).filter((c) => c.author === BOT)).toHaveLength(1);
  });

  it('fails with every input problem listed, before calling GitHub', async (test) => {
    const w = await world(test);
    await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    const [event] = w.newEvents();
    w.gh.resetLog();
    const run = await w.runDist(event as StandInEvent, { timezone: 'Mars/Olympus', labels: 'bogus: x', 'stall-days': '-3' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('timezone: "Mars/Olympus" is not an IANA time zone');
    expect(run.stdout).toContain('labels: "bogus" is not a label of this action');
    expect(run.stdout).toContain('stall-days: expected a whole number of at least 1');
    expect(w.gh.requests).toEqual([]);
  });

  it('never prints the token', async (test) => {
    const w = await world(test);
    await w.openEngagement(frontMatter(WITHOUT_ACCOUNT_TEAM));
    const [event] = w.newEvents();
    const run = await w.runDist(event as StandInEvent, { labels: ': not yaml :' });
    expect(run.code).toBe(1);
    expect(`${run.stdout}${run.stderr}`).not.toContain(w.gh.tokenFor(BOT));
  });
});
