// The decision core, transition by transition: what state and which effects each situation gives,
// and that deciding again on the result asks for nothing more.
import { builtInCatalog } from '../src/files/playbook-catalog.js';
import { describe, expect, it } from 'vitest';
import { asWritten, parseEngagement } from '../src/process/frontmatter.js';
import type { EngagementRead as Observation } from '../src/process/engagement-read.js';
import {
  ASSIGNER,
  ATU_FIELDS,
  FM,
  NO_ATU_FIELDS,
  apply,
  attempt,
  body,
  commentsOf,
  humanComment,
  kinds,
  labelled,
  observation,
  settle,
  testConfig,
  decideRendered,
} from './support/model.js';

const T0 = '2026-11-25T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function stateOf(o: Observation) {
  const parsed = parseEngagement(o.issue.body, builtInCatalog());
  if (!parsed.ok) throw new Error('invalid body');
  return parsed.bot && asWritten(parsed.bot);
}

/** Adds or removes labels as the FM would and lets the bot answer. */
function act(o: Observation, change: { add?: string[]; remove?: string[] }, when: string) {
  const labels = new Set(o.issue.labels);
  for (const l of change.add ?? []) labels.add(l);
  for (const l of change.remove ?? []) labels.delete(l);
  const trigger = change.add ? labelled('labeled', change.add.at(-1) as string) : labelled('unlabeled', (change.remove ?? [])[0] as string);
  return settle({ ...o, issue: { ...o.issue, labels: [...labels] }, trigger }, when);
}

function expectSettled(o: Observation, when: string) {
  const again = decideRendered({ ...o, trigger: { kind: 'scan' } }, { config: testConfig(), now: new Date(when) });
  expect(again.effects).toEqual([]);
}

/** Opens an engagement and walks it to `labels` one label at a time. */
function walkTo(fields: Record<string, string>, labels: string[]): Observation {
  let o = settle(observation({ body: body(fields) }), T0).after;
  labels.forEach((label, i) => (o = act(o, { add: [label] }, at(i + 1)).after));
  return o;
}

describe('starting to track an engagement', () => {
  it('posts the welcome, records awaiting-migration and assigns the FM', () => {
    const { decision, effects, after } = settle(observation({ body: body(ATU_FIELDS), assignees: [] }), T0);
    expect(decision.outcome).toBe('in-progress');
    expect(kinds(effects)).toEqual(['update-body', 'comment:welcome', 'add-assignees']);
    expect(stateOf(after)).toMatchObject({ step: 'awaiting-migration', step_since: T0, task_4060: 'pending', workload_ready: null });
    expect(stateOf(after)?.history).toEqual([{ at: T0, by: FM, from: null, to: 'awaiting-migration', via: 'opened' }]);
    const welcome = commentsOf(effects, 'welcome')[0]?.body ?? '';
    expect(welcome).toContain('@fm-alice');
    expect(welcome).toContain('`migration-complete`');
    expect(welcome).toContain('ATU');
    expect(after.issue.assignees).toEqual([FM]);
    expectSettled(after, T0);
  });

  it('ignores issues without the engagement label', () => {
    const d = decideRendered(observation({ body: body(ATU_FIELDS), labels: ['bug'] }), { config: testConfig(), now: new Date(T0) });
    expect(d).toMatchObject({ outcome: 'not-an-engagement', effects: [] });
  });

  it('keeps the FM part of the body byte for byte', () => {
    const original = `---\n# owner: the FM\ncustomer: "Contoso"   # quoted\ntenant: contoso.com\nregion: EMEA\nfm: '@${FM}'\n---\n\n## Notes\n---\nfree *text*\n`;
    const { after } = settle(observation({ body: original }), T0);
    expect(after.issue.body.startsWith(`---\n# owner: the FM\ncustomer: "Contoso"   # quoted\ntenant: contoso.com\nregion: EMEA\nfm: '@${FM}'\n\nstep: awaiting-migration # kept by engagement-bot`)).toBe(true);
    expect(after.issue.body.endsWith(`---\n\n## Notes\n---\nfree *text*\n`)).toBe(true);
  });
});

describe('invalid front-matter', () => {
  it('answers once with the key, line and column, and records nothing', () => {
    const broken = '---\ncustomer: Contoso\ntenant: [unclosed\nregion: EMEA\nfm: fm-alice\n---\n';
    const first = settle(observation({ body: broken }), T0);
    expect(first.decision.outcome).toBe('invalid');
    expect(kinds(first.effects)).toEqual(['comment:validation-error']);
    expect(commentsOf(first.effects)[0]?.body).toMatch(/Line \d+, column \d+/);
    expect(first.decision.warnings[0]).toContain('front-matter is invalid');
    expect(first.after.issue.body).toBe(broken);
    // The same problem on the next event: no second comment.
    expect(decideRendered({ ...first.after, trigger: labelled('labeled', 'migration-complete') }, { config: testConfig(), now: new Date(at(5)) }).effects).toEqual([]);
  });

  it('names a missing key and an unknown region', () => {
    const { effects } = settle(observation({ body: body({ customer: 'X', tenant: 'x.com', region: 'Mars', fm: FM }) }), T0);
    const text = commentsOf(effects)[0]?.body ?? '';
    expect(text).toContain('`region` (line 4) is "Mars"');
    const missing = settle(observation({ body: body({ customer: 'X', region: 'EMEA', fm: FM }) }), T0);
    expect(commentsOf(missing.effects)[0]?.body).toContain('`tenant` is missing');
  });
});

describe('invalid front-matter in the engagement\'s own language', () => {
  const en = testConfig({ locale: 'en' });
  const problemComment = (text: string, config = en) => commentsOf(settle(observation({ body: text }), T0, config).effects, 'validation-error')[0]?.body ?? '';

  it('answers in pt-BR when the body says `locale: pt-BR`, though the workflow says en and the YAML around it is broken', () => {
    const said = problemComment('---\ncustomer: Contoso\ntenant: [unclosed\nregion: EMEA\nfm: fm-alice\nlocale: pt-BR\n---\n');
    expect(said).toMatch(/^### O front-matter do envolvimento precisa de uma correção/);
    expect(said).toMatch(/Linha \d+, coluna \d+: não foi possível interpretar o YAML/);
    expect(said).not.toMatch(/the YAML does not parse|Line \d+/);
  });

  it('answers in pt-BR for a missing key and an unknown region, with the locale line anywhere in the front-matter', () => {
    const said = problemComment(body({ locale: '"pt-BR"  # the team\'s language', customer: 'X', region: 'Mars', fm: FM }));
    expect(said).toContain('Falta `tenant`.');
    expect(said).toContain('`region` (linha 4) é "Mars": use Americas (ou Américas), APJ ou EMEA.');
  });

  it('answers in English when the body says `locale: en` and the workflow says pt-BR', () => {
    const said = problemComment(body({ customer: 'X', region: 'EMEA', fm: FM, locale: 'en' }), testConfig({ locale: 'pt-BR' }));
    expect(said).toContain('`tenant` is missing.');
  });

  it("falls back to the workflow's language when the locale cannot be read (unknown, or after the closing line)", () => {
    expect(problemComment(body({ customer: 'X', region: 'EMEA', fm: FM, locale: 'fr' }))).toContain('`locale` (line 5) is "fr": use `en` or `pt-BR`.');
    expect(problemComment('---\ncustomer: X\n---\nlocale: pt-BR\n')).toContain('`tenant` is missing.');
  });

  it('answers an issue form in the language chosen on the form', () => {
    const form = '### Customer\n\nNorthwind\n\n### Tenant\n\nnorthwind.com\n\n### Region\n\nMars\n\n### FastTrack Manager\n\nfm-alice\n\n### Language\n\npt-BR';
    expect(problemComment(form)).toContain('`region` (linha 4) é "Mars"');
  });
});

describe('the steps', () => {
  it('migration-complete with an account team: preparation and the ATU e-mail to the account team', () => {
    const o = walkTo(ATU_FIELDS, []);
    const { effects, after } = act(o, { add: ['migration-complete'] }, at(1));
    expect(stateOf(after)?.step).toBe('preparation');
    const post = commentsOf(effects, 'step-preparation')[0]?.body ?? '';
    expect(post).toContain('ana@contoso.com; bo@contoso.com');
    expect(post).toMatch(/review the engagement completion with the customer/);
    expect(post).toMatch(/disengages after that review/);
    expect(post).toMatch(/account team's support/);
    expect(post).toContain('mailto:ana%40contoso.com,bo%40contoso.com?');
    expectSettled(after, at(1));
  });

  it('migration-complete without account-team information: straight to the discussion, ATU e-mail skipped', () => {
    const o = walkTo(NO_ATU_FIELDS, []);
    const { effects, after } = act(o, { add: ['migration-complete'] }, at(1));
    const state = stateOf(after);
    expect(state?.step).toBe('discussion');
    expect(state?.history.at(-1)).toMatchObject({ from: 'awaiting-migration', to: 'discussion', via: 'label:migration-complete' });
    const post = commentsOf(effects, 'step-discussion')[0]?.body ?? '';
    expect(post).toContain('ATU e-mail was skipped');
    expect(post).toContain("customer's existing cadence");
    expect(post).toContain('ready to onboard an additional workload');
  });

  it('account-team-notified: the discussion agenda lists the completed activities', () => {
    const o = walkTo(ATU_FIELDS, ['migration-complete']);
    const { effects, after } = act(o, { add: ['account-team-notified'] }, at(2));
    expect(stateOf(after)?.step).toBe('discussion');
    const post = commentsOf(effects, 'step-discussion')[0]?.body ?? '';
    expect(post).toContain('- Mailbox migration');
    expect(post).toContain('- Teams enablement');
    expect(post).not.toContain('skipped');
    // The playbook's key actions and objectives, checked in the discussion.
    expect(post).toContain('Confirm the Services Enabled task is complete');
    expect(post).toContain('understands that the existing engagement will end');
    expect(post).toContain('satisfied with the FastTrack engagement');
    expect(post).toContain('adopt the newly enabled services');
  });

  it.each([
    ['workload-ready', true],
    ['workload-not-ready', false],
  ])('%s: follow-up, pointing back to the RFA part of the discussion only when ready; the e-mail tells how to ask for help either way', (label, ready) => {
    const o = walkTo(ATU_FIELDS, ['migration-complete', 'account-team-notified']);
    const { effects, after } = act(o, { add: [label] }, at(3));
    expect(stateOf(after)).toMatchObject({ step: 'follow-up', workload_ready: ready });
    const post = commentsOf(effects, 'step-follow-up')[0]?.body ?? '';
    // The RFA demonstration belongs in the discussion (its agenda carries it); the follow-up refers to it when ready.
    expect(post.includes('Demonstrate how to fill in the RFA form')).toBe(false);
    expect(post.includes('belong in the discussion (see its agenda)')).toBe(ready);
    expect(post).toContain('submit a Request for Assistance (RFA)');
    expect(post).toContain('Customer follow-up e-mail draft');
  });

  it('follow-up-sent: opens the transfer request first, then records it, the next action date and the FTOP checklist', () => {
    const o = walkTo(ATU_FIELDS, ['migration-complete', 'account-team-notified', 'workload-ready']);
    const first = decideRendered({ ...o, issue: { ...o.issue, labels: [...o.issue.labels, 'follow-up-sent'] }, trigger: labelled('labeled', 'follow-up-sent') }, { config: testConfig(), now: new Date(at(4)) });
    expect(first.opensTransferRequest).toBe(true);
    expect(first.effects).toHaveLength(1);
    const open = first.effects[0];
    if (open?.kind !== 'open-transfer-request') throw new Error('expected the transfer request');
    expect(open.title).toBe('Transfer tenant contoso.onmicrosoft.com to FTCQ Inactive – EMEA');
    expect(open.labels).toEqual(['queue-transfer']);
    expect(open.parent).toEqual({ repo: o.issue.repo, number: 1 });
    expect(open.body).toContain('@contoso-ft/assignment');
    expect(open.body).toContain('contoso-ft/engagements#1');
    expect(open.body).toContain('<!-- engagement-bot:transfer-request-for/contoso-ft/engagements#1 -->');

    const { effects, after } = act(o, { add: ['follow-up-sent'] }, at(4));
    const state = stateOf(after);
    expect(state).toMatchObject({ step: 'offboarding', next_action_date: '2027-12-31', task_4060: 'pending' });
    expect(state?.transfer).toEqual({ queue: 'FTCQ Inactive – EMEA', request: '#2', requested_at: at(4), confirmed_by: null, confirmed_at: null });
    const post = commentsOf(effects, 'step-offboarding')[0]?.body ?? '';
    expect(post).toContain('**4060** "Disengagement Process is Complete (migration)" (mandatory, owned by the FM, all services)');
    expect(post).toContain('Update the notes with the latest status');
    // The date as the FM types it into FTOP: the reader's way, never the front-matter's ISO form.
    expect(post).toContain('Set the next action date to **31 December 2027**');
    expect(post).not.toContain('2027-12-31');
    expect(post).toContain('#2');
    expect(post).toContain('do not remove your name');
    expectSettled(after, at(4));
  });

  it('computes the next action date in the configured time zone', () => {
    const o = walkTo(NO_ATU_FIELDS, ['migration-complete', 'workload-not-ready']);
    const newYearsEve = '2026-12-31T20:00:00Z'; // already 2027 in Auckland
    const labels = [...o.issue.labels, 'follow-up-sent'];
    const utc = settle({ ...o, issue: { ...o.issue, labels }, trigger: labelled('labeled', 'follow-up-sent') }, newYearsEve);
    const auckland = settle({ ...o, issue: { ...o.issue, labels }, trigger: labelled('labeled', 'follow-up-sent') }, newYearsEve, testConfig({ timezone: 'Pacific/Auckland' }));
    expect(stateOf(utc.after)?.next_action_date).toBe('2027-12-31');
    expect(stateOf(auckland.after)?.next_action_date).toBe('2028-12-31');
  });
});

describe('completion: task 4060 and the queue move, in either order', () => {
  const offboarding = () => walkTo(ATU_FIELDS, ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent']);

  it('task first, then the confirmation on the transfer request', () => {
    const task = act(offboarding(), { add: ['task-4060-done'] }, at(10));
    expect(stateOf(task.after)).toMatchObject({ step: 'offboarding', task_4060: 'done' });
    expect(kinds(task.effects)).toEqual(['update-body', 'comment:task-recorded']);

    const command = humanComment('/queue-moved', ASSIGNER, at(11));
    const withCommand: Observation = {
      ...task.after,
      transferRequest: { ...(task.after.transferRequest as NonNullable<Observation['transferRequest']>), comments: [command] },
      confirmations: [attempt(command)],
      trigger: { kind: 'issue_comment', action: 'created', sender: ASSIGNER, commentId: command.id },
    };
    const done = settle(withCommand, at(12));
    const state = stateOf(done.after);
    expect(state).toMatchObject({ step: 'completed', completed_at: at(12) });
    expect(state?.transfer).toMatchObject({ confirmed_by: ASSIGNER, confirmed_at: at(11) });
    expect(kinds(done.effects)).toEqual([
      'update-body',
      'comment:step-completed',
      'remove-assignees',
      'comment:confirmation-receipt', // on the request: it also says the engagement is complete
      'close-issue',
      'close-issue',
    ]);
    const receipt = commentsOf(done.effects, 'confirmation-receipt')[0];
    expect(receipt?.target.number).toBe(2);
    const summary = commentsOf(done.effects, 'step-completed')[0]?.body ?? '';
    for (const line of ['Success Execution Support', 'Conduct Success Review', 'how to complete an RFA', 'Services Enabled task', 'customer is satisfied']) expect(summary).toContain(line);
    expect(done.after.issue.state).toBe('closed');
    expect(done.after.transferRequest?.state).toBe('closed');
    expect(done.after.issue.assignees).toEqual([]);
    expectSettled(done.after, at(13));
  });

  it('confirmation first (on the engagement), then the task label', () => {
    const o = offboarding();
    const command = humanComment('/queue-moved FTCQ Inactive - EMEA', ASSIGNER, at(10));
    const confirmed = settle({ ...o, comments: [...(o.comments ?? []), command], confirmations: [attempt(command, 'engagement')], trigger: { kind: 'issue_comment', action: 'created', sender: ASSIGNER, commentId: command.id } }, at(10));
    expect(stateOf(confirmed.after)).toMatchObject({ step: 'offboarding' });
    expect(stateOf(confirmed.after)?.transfer?.confirmed_by).toBe(ASSIGNER);
    expect(commentsOf(confirmed.effects, 'confirmation-receipt')[0]?.body).toContain('completes once @fm-alice marks task 4060');
    // The FM may now step off the assignment without being put back.
    const unassigned = settle({ ...confirmed.after, issue: { ...confirmed.after.issue, assignees: [] }, trigger: { kind: 'issues', action: 'unassigned', sender: FM } }, at(11));
    expect(unassigned.effects).toEqual([]);

    const done = act(confirmed.after, { add: ['task-4060-done'] }, at(12));
    expect(stateOf(done.after)?.step).toBe('completed');
    expect(stateOf(done.after)?.history.at(-1)).toMatchObject({ from: 'offboarding', to: 'completed', via: 'label:task-4060-done' });
    expect(done.after.issue.state).toBe('closed');
  });

  it.each([
    ['someone outside the team', { ok: false as const, reason: 'not-member' as const, team: 'contoso-ft/assignment' }, 'you are not an active member of `contoso-ft/assignment`'],
    ['a team the token cannot check', { ok: false as const, reason: 'check-impossible' as const, team: 'contoso-ft/assignment' }, "token cannot read the members of `contoso-ft/assignment`"],
    ['a reader of the repository', { ok: false as const, reason: 'not-collaborator' as const, permission: 'read', repo: 'contoso-ft/engagements' }, 'people with write access to `contoso-ft/engagements`); you have read access'],
  ])('refuses a confirmation by %s, says why, and changes nothing', (_who, authorisation, says) => {
    const o = offboarding();
    const command = humanComment('/queue-moved', 'mallory', at(10));
    const { effects, after } = settle({ ...o, comments: [...(o.comments ?? []), command], confirmations: [attempt(command, 'engagement', authorisation)] }, at(10));
    expect(kinds(effects)).toEqual(['comment:confirmation-refused']);
    expect(commentsOf(effects)[0]?.body).toContain(says);
    expect(after.issue.body).toBe(o.issue.body);
  });

  it('refuses an unknown queue and another region\'s queue, naming the valid ones', () => {
    const o = offboarding();
    const bad = humanComment('/queue-moved Some Queue', ASSIGNER, at(10));
    const other = humanComment('/queue-moved FTCQ Inactive – APJ', ASSIGNER, at(11));
    const { effects, after } = settle({ ...o, comments: [...(o.comments ?? []), bad, other], confirmations: [attempt(bad, 'engagement'), attempt(other, 'engagement')] }, at(12));
    const [unknown, wrong] = commentsOf(effects, 'confirmation-refused').map((c) => c.body);
    expect(unknown).toContain('`FTCQ Inactive – Americas`, `FTCQ Inactive – APJ`, `FTCQ Inactive – EMEA`');
    expect(wrong).toContain('moves to `FTCQ Inactive – EMEA`, not `FTCQ Inactive – APJ`');
    expect(stateOf(after)?.transfer?.confirmed_by).toBeNull();
  });

  it('rebuilds a confirmation whose write another run overwrote, from the bot\'s own receipt', () => {
    const o = offboarding();
    const command = humanComment('/queue-moved', ASSIGNER, at(10));
    const confirmed = settle({ ...o, comments: [...(o.comments ?? []), command], confirmations: [attempt(command, 'engagement')] }, at(10));
    expect(commentsOf(confirmed.effects, 'confirmation-receipt')[0]?.body).toContain(`<!-- engagement-bot:confirmed/${command.id}/${ASSIGNER}/${at(10)}/offboarding/1 -->`);
    // A racing run wrote the body it had read before the confirmation: the confirmation is gone from it.
    const raced = { ...confirmed.after, issue: { ...confirmed.after.issue, body: o.issue.body } };
    const healed = act(raced, { add: ['task-4060-done'] }, at(11));
    expect(stateOf(healed.after)).toMatchObject({ step: 'completed' });
    expect(stateOf(healed.after)?.transfer).toMatchObject({ confirmed_by: ASSIGNER, confirmed_at: at(10) });
  });

  it('accepts the playbook\'s Portuguese name of the default queue', () => {
    const o = offboarding();
    const command = humanComment('/queue-moved FTCQ Inativo ‒ EMEA', ASSIGNER, at(10));
    const { after } = settle({ ...o, comments: [...(o.comments ?? []), command], confirmations: [attempt(command, 'engagement')] }, at(10));
    expect(stateOf(after)?.transfer?.confirmed_by).toBe(ASSIGNER);
  });

  it('refuses a confirmation before any transfer request exists', () => {
    const o = walkTo(ATU_FIELDS, ['migration-complete']);
    const command = humanComment('/queue-moved', ASSIGNER, at(5));
    const { effects } = settle({ ...o, comments: [...(o.comments ?? []), command], confirmations: [attempt(command, 'engagement')] }, at(5));
    expect(kinds(effects)).toEqual(['comment:confirmation-refused']);
    expect(commentsOf(effects)[0]?.body).toContain('no open transfer request');
  });
});

describe('labels out of order, undo and coalesced events', () => {
  it('removes a label whose predecessors are missing, says what is expected, changes nothing else', () => {
    const o = walkTo(ATU_FIELDS, []);
    const { effects, after } = act(o, { add: ['workload-ready'] }, at(1));
    expect(kinds(effects)).toEqual(['comment:labels-out-of-order', 'remove-label:workload-ready']);
    expect(commentsOf(effects)[0]?.body).toContain('next label expected is `migration-complete`');
    expect(stateOf(after)).toEqual(stateOf(o));
  });

  it('several labels at once: walks through each step, one comment listing the steps passed', () => {
    const o = walkTo(ATU_FIELDS, []);
    const { effects, after } = act(o, { add: ['migration-complete', 'account-team-notified', 'workload-not-ready'] }, at(1));
    const state = stateOf(after);
    expect(state?.step).toBe('follow-up');
    expect(state?.history.slice(1).map((h) => [h.from, h.to, h.via])).toEqual([
      ['awaiting-migration', 'preparation', 'label:migration-complete'],
      ['preparation', 'discussion', 'label:account-team-notified'],
      ['discussion', 'follow-up', 'label:workload-not-ready'],
    ]);
    expect(kinds(effects)).toEqual(['update-body', 'comment:step-follow-up']);
    expect(commentsOf(effects)[0]?.body).toContain('Passed through: `preparation`, `discussion`');
  });

  it('removing a step label moves back to the step before it and removes the later labels', () => {
    const o = walkTo(ATU_FIELDS, ['migration-complete', 'account-team-notified', 'workload-ready']);
    const { effects, after } = act(o, { remove: ['account-team-notified'] }, at(9));
    expect(stateOf(after)?.step).toBe('preparation');
    expect(stateOf(after)?.workload_ready).toBeNull();
    expect(stateOf(after)?.history.at(-1)).toMatchObject({ from: 'follow-up', to: 'preparation', via: 'unlabeled:account-team-notified' });
    expect(kinds(effects)).toEqual(['update-body', 'comment:step-undone', 'remove-label:workload-ready']);
    expect(after.issue.labels).toEqual(['engagement', 'migration-complete']);
    expectSettled(after, at(9));
  });

  it('undoing offboarding closes the transfer request as not planned; entering it again reopens it', () => {
    const o = walkTo(ATU_FIELDS, ['migration-complete', 'account-team-notified', 'workload-ready', 'follow-up-sent', 'task-4060-done']);
    const back = act(o, { remove: ['follow-up-sent'] }, at(9));
    expect(stateOf(back.after)).toMatchObject({ step: 'follow-up', next_action_date: null, task_4060: 'pending' });
    expect(kinds(back.effects)).toEqual(['update-body', 'comment:step-undone', 'remove-label:task-4060-done', 'comment:transfer-cancelled', 'close-issue']);
    expect(back.effects.at(-1)).toMatchObject({ kind: 'close-issue', reason: 'not_planned', target: { number: 2 } });
    expect(back.after.transferRequest?.state).toBe('closed');

    const again = act(back.after, { add: ['follow-up-sent'] }, at(10));
    expect(kinds(again.effects)).toEqual(['update-body', 'comment:step-offboarding', 'comment:transfer-reopened', 'reopen-issue']);
    expect(again.effects.some((e) => e.kind === 'open-transfer-request')).toBe(false);
    expect(stateOf(again.after)?.transfer).toMatchObject({ request: '#2', requested_at: at(10), confirmed_by: null });
  });

  it('workload-ready and workload-not-ready together: the one just added wins', () => {
    const o = walkTo(ATU_FIELDS, ['migration-complete', 'account-team-notified', 'workload-ready']);
    const { effects, after } = act(o, { add: ['workload-not-ready'] }, at(5));
    expect(stateOf(after)).toMatchObject({ step: 'follow-up', workload_ready: false });
    expect(after.issue.labels).not.toContain('workload-ready');
    // The answer changed during follow-up: a new follow-up message, without the pointer to the RFA demonstration.
    expect(commentsOf(effects, 'step-follow-up')[0]?.body).toBeDefined();
    expect(commentsOf(effects, 'step-follow-up')[0]?.body).not.toContain('belong in the discussion (see its agenda)');
    expect(commentsOf(effects, 'labels-out-of-order')[0]?.body).toContain('either `workload-ready` or `workload-not-ready`');
  });

  it('adding account information after the discussion does not move the engagement back', () => {
    const o = walkTo(NO_ATU_FIELDS, ['migration-complete']);
    const edited = o.issue.body.replace('fm: fm-alice', 'fm: fm-alice\naccount_team: [x@y.com]');
    const { effects } = settle({ ...o, issue: { ...o.issue, body: edited }, trigger: { kind: 'issues', action: 'edited', sender: FM } }, at(3));
    expect(effects.filter((e) => e.kind !== 'update-body')).toEqual([]);
    expect(effects.find((e) => e.kind === 'update-body')).toBeUndefined();
  });
});

describe('the rules the bot enforces', () => {
  it('assigns the FM again when unassigned before the queue move is confirmed, quoting the rule once per step', () => {
    const o = walkTo(ATU_FIELDS, ['migration-complete']);
    const { effects, after } = settle({ ...o, issue: { ...o.issue, assignees: [] }, trigger: { kind: 'issues', action: 'unassigned', sender: FM } }, at(5));
    expect(kinds(effects)).toEqual(['comment:fm-reassigned', 'add-assignees']);
    expect(commentsOf(effects)[0]?.body).toContain('the FM keeps their assignment until the account has been assigned to one of the inactive queues');
    const twice = settle({ ...after, issue: { ...after.issue, assignees: [] } }, at(6));
    expect(kinds(twice.effects)).toEqual(['add-assignees']);
  });

  it('restores bot-owned keys edited by hand, once, keeping the FM\'s other edits', () => {
    const o = walkTo(ATU_FIELDS, ['migration-complete']);
    const before = o.issue.body;
    const hand = before.replace('step: preparation', 'step: completed').replace('customer: Contoso Ltd', 'customer: Contoso Group');
    const edit = { kind: 'issues' as const, action: 'edited', sender: FM, edit: { before, after: hand } };
    const { effects, after } = settle({ ...o, issue: { ...o.issue, body: hand }, trigger: edit }, at(5));
    expect(kinds(effects)).toEqual(['update-body', 'comment:bot-keys-restored']);
    expect(stateOf(after)?.step).toBe('preparation');
    expect(after.issue.body).toContain('customer: Contoso Group');
    expect(commentsOf(effects)[0]?.body).toContain('`step`');
    // The same edited event again (a replay): nothing more.
    expect(settle({ ...after, trigger: edit }, at(6)).effects).toEqual([]);
  });

  it('a late edited payload does not undo a later write by the bot', () => {
    const o = walkTo(ATU_FIELDS, ['migration-complete']);
    const later = act(o, { add: ['account-team-notified'] }, at(5)).after;
    // A payload from before the bot's last write, claiming the step was hand-set to preparation.
    const edit = { kind: 'issues' as const, action: 'edited', sender: FM, edit: { before: o.issue.body.replace('step: preparation', 'step: awaiting-migration'), after: o.issue.body } };
    const { effects } = settle({ ...later, trigger: edit }, at(6));
    expect(effects).toEqual([]);
  });

  it('removes the stalled flag as soon as the engagement moves', () => {
    const o = walkTo(ATU_FIELDS, []);
    const stalled = { ...o, issue: { ...o.issue, body: o.issue.body.replace('history:', 'stalled_since: 2026-12-20T00:00:00Z\nhistory:'), labels: [...o.issue.labels, 'stalled'] } };
    const { effects, after } = act(stalled, { add: ['migration-complete'] }, at(5));
    expect(kinds(effects)).toContain('remove-label:stalled');
    expect(stateOf(after)?.stalled_since).toBeNull();
  });

  it('leaves a completed engagement reopened by a person alone, after saying so once', () => {
    const o = walkTo(NO_ATU_FIELDS, ['migration-complete', 'workload-not-ready', 'follow-up-sent']);
    const command = humanComment('/queue-moved', ASSIGNER, at(9));
    const done = settle({ ...act(o, { add: ['task-4060-done'] }, at(8)).after, confirmations: [attempt(command, 'engagement')] }, at(9)).after;
    expect(done.issue.state).toBe('closed');
    const reopened = settle({ ...done, issue: { ...done.issue, state: 'open' }, trigger: { kind: 'issues', action: 'reopened', sender: FM } }, at(10));
    expect(kinds(reopened.effects)).toEqual(['update-body', 'comment:reopened-after-completion']);
    expect(settle({ ...reopened.after, trigger: labelled('labeled', 'follow-up-sent') }, at(11)).effects).toEqual([]);
  });

  it('finishes closing a completed engagement a failed run left open', () => {
    const o = walkTo(NO_ATU_FIELDS, ['migration-complete', 'workload-not-ready', 'follow-up-sent']);
    const command = humanComment('/queue-moved', ASSIGNER, at(9));
    const done = settle({ ...act(o, { add: ['task-4060-done'] }, at(8)).after, confirmations: [attempt(command, 'engagement')] }, at(9));
    // Only the body write went through: summary, unassignment and closing are still due.
    const partial = apply({ ...o, confirmations: [] }, done.effects.filter((e) => e.kind === 'update-body'), at(9));
    const recovered = settle({ ...partial, issue: { ...partial.issue, labels: done.after.issue.labels } }, at(10));
    expect(kinds(recovered.effects)).toEqual(['comment:step-completed', 'remove-assignees', 'comment:transfer-completed', 'close-issue', 'close-issue']);
  });
});

describe('hostile field values', () => {
  it('shows HTML, Handlebars, mentions and comment terminators as text', () => {
    const hostile = body({ customer: '"<script>alert(1)</script> {{labels.engagement}} @contoso-ft/assignment --> #12"', tenant: 'x.com', region: 'EMEA', fm: FM });
    const { effects } = settle(observation({ body: hostile }), T0);
    const welcome = (commentsOf(effects, 'welcome')[0]?.body ?? '').replace(/<!-- engagement-bot:[^ ]+ -->/g, '');
    expect(welcome).not.toContain('<script>');
    expect(welcome).not.toMatch(/@contoso-ft\/assignment/);
    expect(welcome).toContain('@\u200Bcontoso');
    expect(welcome).toContain('\\{\\{labels\\.engagement\\}\\}');
    expect(welcome).not.toMatch(/(^|[^\\])-->/);
    expect(welcome).not.toContain('<!--');
    expect(welcome).toContain('#\u200B12');
  });
});
