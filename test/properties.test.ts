// Properties of the decision core, checked with fast-check on the pure model (test/support/model.ts):
// no body makes `decide()` throw (the parser's own property is in frontmatter.test.ts); deciding
// again on its own output asks for nothing; any sequence of label additions and removals ends in
// the state the final labels imply.
import { builtInCatalog } from '../src/files/playbook-catalog.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, type Decision } from '../src/core/decide.js';
import type { Effect, Write } from '../src/core/plan.js';
import { asWritten, parseEngagement } from '../src/process/frontmatter.js';
import type { CommentView, ConfirmationAttempt, EngagementRead as Observation, Trigger, TransferRequestView } from '../src/process/engagement-read.js';
import { STEP_LABELS } from './support/playbooks.js';

type StepLabel = string;
import { ASSIGNER, ATU_FIELDS, BOT, FM, NO_ATU_FIELDS, attempt, body, humanComment, observation, settle, testConfig, testMessages } from './support/model.js';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const config = testConfig();
const ctx = (now: string) => ({ config, messages: testMessages(), now: new Date(now) });
const LIMIT = 65_536;

function stateOf(o: Observation) {
  const parsed = parseEngagement(o.issue.body, builtInCatalog());
  if (!parsed.ok) throw new Error(`invalid body: ${JSON.stringify(parsed.problems)}`);
  return parsed.bot && asWritten(parsed.bot);
}

const LABELS = ['engagement', ...STEP_LABELS, 'stalled', 'queue-transfer', 'engagement-dashboard', 'bug', 'Migration-Complete'];

const FRAGMENTS = [
  '---\n', '---\r\n', '...\n', 'customer: ', 'tenant: ', 'region: ', 'EMEA', 'APJ', 'fm: ', 'fm-alice', 'account_team: ', 'services: ',
  'completed_activities: ', 'locale: ', 'pt-BR', 'step: ', 'step_since: ', 'workload_ready: ', 'task_4060: ', 'next_action_date: ',
  'transfer: ', 'stalled_since: ', 'history: ', 'completed_at: ', '2026-11-25T10:00:00Z', '2026-12-31', 'offboarding', 'completed',
  'follow-up', 'done', 'true', 'null', '~', '- ', '  ', '\n', '\r\n', '\t', '[', ']', '{', '}', ',', ':', '"', "'", '&a ', '*a', '!!binary ',
  '!!str ', '? ', '# ', '<<: ', '__proto__: ', 'constructor: ', '{{x}}', '<!-- engagement-bot:step/x/y -->', '\uFEFF', '\u0000', '@org/team',
  '{at: 2026-11-25T10:00:00Z, to: discussion, from: preparation, via: x}', 'queue: FTCQ Inactive – EMEA', 'request: "#2"', 'a@b.co',
];
const fragments = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 })), { maxLength: 60 }).map((parts) => parts.join(''));
const VALID_HEAD = '---\ncustomer: C\ntenant: t.com\nregion: EMEA\nfm: fm-alice\n';
/** Any string: random text, YAML-ish fragments, and fragments after a valid head (reaching the core beyond the parser). */
const anyBody = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fragments,
  fragments.map((tail) => `${VALID_HEAD}${tail}`),
  fragments.map((tail) => `${VALID_HEAD}${tail}\n---\nNotes.\n`),
  fragments.map((mid) => `${VALID_HEAD}step: follow-up\nstep_since: 2026-11-25T10:00:00Z\n${mid}\n---\n`),
);

const sender = fc.constantFrom(FM, ASSIGNER, 'mallory', BOT, 'engagement-bot', '');
const anyTrigger: fc.Arbitrary<Trigger> = fc.oneof(
  fc.constant<Trigger>({ kind: 'scan' }),
  fc
    .record({ action: fc.constantFrom('opened', 'labeled', 'unlabeled', 'edited', 'assigned', 'unassigned', 'reopened', 'closed'), sender, label: fc.option(fc.constantFrom(...LABELS), { nil: undefined }) })
    .map(({ action, sender: s, label }): Trigger => (label === undefined ? { kind: 'issues', action, sender: s } : { kind: 'issues', action, sender: s, label })),
  fc.record({ sender, before: anyBody, after: anyBody }).map(({ sender: s, before, after }): Trigger => ({ kind: 'issues', action: 'edited', sender: s, edit: { before, after } })),
  fc.record({ sender, commentId: fc.nat() }).map(({ sender: s, commentId }): Trigger => ({ kind: 'issue_comment', action: 'created', sender: s, commentId })),
);

const anyComment: fc.Arbitrary<CommentView> = fc
  .record({ byBot: fc.boolean(), body: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('/queue-moved', '/queue-moved FTCQ Inactive – EMEA', '<!-- engagement-bot:step/offboarding/2026-11-25T10:00:00Z -->', '<!-- engagement-bot:confirmed/7/assign-bob/2026-11-25T10:00:00Z -->')), id: fc.nat() })
  .map(({ byBot, body: text, id }) => ({ id, nodeId: `IC${id}`, author: byBot ? BOT : ASSIGNER, byBot, body: text, createdAt: '2026-11-25T10:00:00Z', url: `https://x/#${id}` }));

const anyTransfer: fc.Arbitrary<TransferRequestView | null | undefined> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.record({ state: fc.constantFrom<'open' | 'closed'>('open', 'closed'), comments: fc.option(fc.array(anyComment, { maxLength: 3 }), { nil: null }) }).map(({ state, comments }) => ({
    repo: { owner: 'contoso-ft', name: 'engagements' },
    number: 2,
    url: 'https://github.com/contoso-ft/engagements/issues/2',
    state,
    comments,
  })),
);

const anyAttempts: fc.Arbitrary<ConfirmationAttempt[]> = fc.array(
  fc.record({ on: fc.constantFrom<'engagement' | 'transfer-request'>('engagement', 'transfer-request'), ok: fc.boolean(), queue: fc.option(fc.constantFrom('FTCQ Inactive – EMEA', 'Nowhere', '<b>x</b>'), { nil: null }), id: fc.nat() }).map(
    ({ on, ok, queue, id }): ConfirmationAttempt => ({
      commentId: id,
      on,
      author: ASSIGNER,
      createdAt: '2026-11-25T11:00:00Z',
      url: `https://x/#${id}`,
      queue,
      authorisation: ok ? { ok: true, via: 'team' } : { ok: false, reason: 'not-member', detail: 'not a member' },
    }),
  ),
  { maxLength: 2 },
);

describe('decide() never throws', () => {
  it('whatever the body, labels, trigger, comments, transfer request and confirmations', () => {
    let decided = 0;
    fc.assert(
      fc.property(
        fc.record({
          body: anyBody,
          labels: fc.subarray(LABELS),
          state: fc.constantFrom<'open' | 'closed'>('open', 'closed'),
          assignees: fc.subarray([FM, ASSIGNER]),
          comments: fc.option(fc.array(anyComment, { maxLength: 3 }), { nil: null }),
          transferRequest: anyTransfer,
          confirmations: anyAttempts,
          trigger: anyTrigger,
        }),
        (o) => {
          const obs = observation({ ...o, labels: ['engagement', ...o.labels] });
          obs.transferRequest = o.transferRequest;
          let d: Decision | undefined;
          expect(() => (d = decide(obs, ctx(at(60))))).not.toThrow();
          decided++;
          const decision = d as Decision;
          expect(['not-an-engagement', 'invalid', 'closed', 'too-long', 'in-progress', 'completed']).toContain(decision.outcome);
          // What the bot writes into a body it can read back, as the state it decided.
          for (const e of decision.effects) {
            if (e.kind !== 'update-body') continue;
            expect(e.body.length).toBeLessThanOrEqual(LIMIT);
            const back = parseEngagement(e.body, builtInCatalog());
            expect(back.ok, e.body).toBe(true);
            if (back.ok && !decision.opensTransferRequest) expect(back.bot).toEqual(decision.state);
          }
        },
      ),
      { numRuns: 600 },
    );
    expect(decided).toBe(600);
  });
});

// ---------------------------------------------------------------------------------------------

const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
  fc.constantFrom('<b>x</b>', '{{labels.engagement}}', '@contoso-ft/assignment', 'a --> b', '<!-- engagement-bot:confirmed/1/x/2999-01-01T00:00:00Z -->', 'Ação – Região'),
);
/** Valid front-matter with generated values (each a JSON string: a valid YAML double-quoted scalar). */
const fields = fc
  .record({ customer: text, tenant: text, region: fc.constantFrom('EMEA', 'apj', 'Américas'), withTeam: fc.boolean(), services: fc.array(text, { maxLength: 3 }), locale: fc.constantFrom(null, 'en', 'pt-BR') })
  .map(({ customer, tenant, region, withTeam, services, locale }) => {
    const f: Record<string, string> = { customer: JSON.stringify(customer), tenant: JSON.stringify(tenant), region, fm: FM };
    if (withTeam) f.account_team = '[ana@contoso.com]';
    if (services.length > 0) f.services = JSON.stringify(services);
    if (locale) f.locale = locale;
    return f;
  });

function expectSettled(o: Observation, trigger: Trigger, now: string, why: string): void {
  const scan = decide({ ...o, trigger: { kind: 'scan' } }, ctx(now));
  expect(scan.effects, `${why}: a scan right after`).toEqual([]);
  const replay = decide({ ...o, trigger }, ctx(now));
  expect(replay.effects, `${why}: the same event again`).toEqual([]);
}

describe('the decision core is idempotent', () => {
  it('deciding again on its own output (a scan, or the same event again) gives no effects', () => {
    fc.assert(
      fc.property(
        fields,
        fc.array(fc.record({ labels: fc.subarray([...STEP_LABELS, 'stalled']), trigger: anyTrigger, assigned: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        (f, rounds) => {
          let o = settle(observation({ body: body(f) }), at(0)).after;
          expectSettled(o, { kind: 'issues', action: 'opened', sender: FM }, at(0), 'opened');
          rounds.forEach((round, i) => {
            const trigger: Trigger = round.trigger.kind === 'issues' && round.trigger.action === 'edited' ? { kind: 'issues', action: 'edited', sender: FM, edit: { before: o.issue.body, after: o.issue.body } } : round.trigger;
            const next = { ...o, issue: { ...o.issue, labels: ['engagement', ...round.labels], assignees: round.assigned ? [FM] : [] }, trigger };
            const when = at(i + 1);
            o = settle(next, when).after;
            expectSettled(o, trigger, when, `round ${i + 1}`);
          });
        },
      ),
      { numRuns: 120 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

type Op = { kind: 'add' | 'remove'; labels: StepLabel[] } | { kind: 'confirm' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant<'add'>('add'), labels: fc.subarray([...STEP_LABELS], { minLength: 1, maxLength: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant<'remove'>('remove'), labels: fc.subarray([...STEP_LABELS], { minLength: 1, maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'confirm' }) },
);

/** Whether the engagement's effects include an opened transfer request. */
const opens = (effects: Array<Effect | Write>) => effects.filter((e) => e.kind === 'open-transfer-request').length;

describe('label sequences', () => {
  it('any sequence of label additions and removals ends in the state the final labels imply', () => {
    let completed = 0;
    fc.assert(
      fc.property(fc.constantFrom(ATU_FIELDS, NO_ATU_FIELDS), fc.array(op, { minLength: 1, maxLength: 12 }), (f, ops) => {
        let o = settle(observation({ body: body(f) }), at(0)).after;
        let requests = 0;
        let minute = 0;
        for (const step of ops) {
          const when = at(++minute);
          const state = stateOf(o);
          let trigger: Trigger;
          let next: Observation;
          if (step.kind === 'confirm') {
            const command = humanComment('/queue-moved', ASSIGNER, when.replace(/\.\d+Z$/, 'Z'));
            const t = o.transferRequest;
            const onRequest = t !== null && t !== undefined;
            next = onRequest
              ? { ...o, transferRequest: { ...t, comments: [...(t.comments ?? []), command] }, confirmations: [attempt(command, 'transfer-request')] }
              : { ...o, comments: [...(o.comments ?? []), command], confirmations: [attempt(command, 'engagement')] };
            trigger = { kind: 'issue_comment', action: 'created', sender: ASSIGNER, commentId: command.id };
          } else {
            const labels = new Set(o.issue.labels);
            const changed = step.labels.filter((l) => (step.kind === 'add' ? !labels.has(l) : labels.has(l)));
            if (changed.length === 0) continue;
            for (const l of changed) {
              if (step.kind === 'add') labels.add(l);
              else labels.delete(l);
            }
            trigger = step.kind === 'add' ? { kind: 'issues', action: 'labeled', sender: FM, label: changed.at(-1) as string } : { kind: 'issues', action: 'unlabeled', sender: FM, label: changed[0] as string };
            next = { ...o, issue: { ...o.issue, labels: [...labels] }, trigger };
          }
          const settled = settle({ ...next, trigger }, when);
          requests += opens(settled.effects);
          o = settled.after;
          expectSettled(o, trigger, when, `${JSON.stringify(step)} at ${state?.step}`);
          // A completed engagement is final: labels no longer move it (a late command still gets its reply).
          if (state?.step === 'completed' && step.kind !== 'confirm') expect(settled.effects, 'a completed engagement is final').toEqual([]);
        }

        const final = stateOf(o);
        expect(requests, 'one transfer request at most').toBeLessThanOrEqual(1);
        expect(o.issue.state === 'closed').toBe(final?.step === 'completed');
        if (final?.step === 'completed') {
          completed++;
          expect(o.transferRequest?.state).toBe('closed');
          return;
        }
        // An open transfer request exactly while at offboarding; the FM stays assigned.
        expect(o.transferRequest?.state === 'open').toBe(final?.step === 'offboarding');
        expect(o.issue.assignees).toContain(FM);

        // A fresh engagement given the final labels in one event ends in the same state.
        const finalSteps = STEP_LABELS.filter((l) => o.issue.labels.includes(l));
        let fresh = settle(observation({ body: body(f) }), at(0)).after;
        if (finalSteps.length > 0) {
          fresh = settle({ ...fresh, issue: { ...fresh.issue, labels: ['engagement', ...finalSteps] }, trigger: { kind: 'issues', action: 'labeled', sender: FM, label: finalSteps.at(-1) as string } }, at(1)).after;
        }
        const expected = stateOf(fresh);
        expect({ step: final?.step, workload_ready: final?.workload_ready, task_4060: final?.task_4060 }).toEqual({
          step: expected?.step,
          workload_ready: expected?.workload_ready,
          task_4060: expected?.task_4060,
        });
        expect([...o.issue.labels].sort()).toEqual([...fresh.issue.labels].sort());
      }),
      { numRuns: 300 },
    );
    expect(completed).toBeGreaterThan(0);
  });
});
