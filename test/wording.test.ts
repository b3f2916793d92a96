// The wording: what the FM, the assignment team and the customer read, in English and in
// the seed's Portuguese. Every message here is rendered through the decision core, as the bot posts it.
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config.js';
import type { Write } from '../src/core/plan.js';
import type { Authorisation, EngagementRead as Observation } from '../src/process/engagement-read.js';
import { ASSIGNER, FM, attempt, body, commentsOf, humanComment, labelled, observation, settle, testConfig } from './support/model.js';
import { PEOPLE_CLOSE, PEOPLE_OPEN, inline, quotedText } from '../src/messages/markdown.js';

const T0 = '2026-11-25T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const DAY = 24 * 60;

type Locale = 'en' | 'pt-BR';

const FIELDS = {
  customer: 'Contoso Ltd',
  tenant: 'contoso.onmicrosoft.com',
  region: 'EMEA',
  fm: FM,
  fm_name: 'Alice Example',
  account_team: '[ana@contoso.com, {name: Bo Li, email: bo@contoso.com}]',
  customer_contacts: '[{name: Carla Cliente, email: carla@contoso.com}, dan@contoso.com]',
  completed_activities: '[Mailbox migration, Teams enablement]',
};

/** What a reader sees: the comment without the bot's hidden markers. */
const visible = (text: string) => text.replace(/<!--[\s\S]*?-->/g, '').trim();

/** Markdown text as GitHub shows it: backslash escapes and the entities the bot writes resolved. */
const shown = (markdown: string) =>
  markdown
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&nbsp;/g, '\u00A0')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The body of the first e-mail draft in a message, as a reader sees and copies it: the block quote after `heading`. */
function draftBody(message: string, heading: string): { markdown: string[]; text: string } {
  const lines = message.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no ${heading} in the message`);
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('>'));
  const markdown = lines.slice(start + 1, end < 0 ? undefined : end);
  return { markdown, text: markdown.map((l) => shown(l.replace(/^> ?/, ''))).join('\n') };
}

/** The body a draft's `mailto:` link carries, as the mail app receives it. */
function mailtoBody(message: string): string {
  const link = /\]\(<(mailto:[^>]+)>\)/.exec(message)?.[1];
  if (!link) throw new Error('no mailto link in the message');
  return decodeURIComponent(new URL(link).searchParams.get('body') ?? '').replace(/\r\n/g, '\n');
}

/** One engagement's thread, driven as the FM and the assignment team would drive it. */
class Thread {
  o: Observation;
  readonly effects: Write[] = [];
  private minute = 0;

  constructor(
    fields: Record<string, string>,
    readonly config: Config = testConfig(),
  ) {
    this.o = this.run(observation({ body: body(fields) }));
  }

  private run(o: Observation, minute = ++this.minute): Observation {
    const settled = settle(o, at(minute), this.config);
    this.effects.push(...settled.effects);
    return settled.after;
  }

  add(...labels: string[]): this {
    for (const label of labels) {
      this.o = this.run({ ...this.o, issue: { ...this.o.issue, labels: [...this.o.issue.labels, label] }, trigger: labelled('labeled', label) });
    }
    return this;
  }

  remove(label: string): this {
    this.o = this.run({ ...this.o, issue: { ...this.o.issue, labels: this.o.issue.labels.filter((l) => l !== label) }, trigger: labelled('unlabeled', label) });
    return this;
  }

  /** A `/queue-moved` comment on the transfer request. */
  command(by: string, authorisation: Authorisation = { ok: true, via: 'team' }, text = '/queue-moved'): this {
    const minute = ++this.minute;
    const comment = humanComment(text, by, at(minute));
    const request = this.o.transferRequest;
    if (!request) throw new Error('no transfer request yet');
    this.o = this.run(
      {
        ...this.o,
        transferRequest: { ...request, comments: [...(request.comments ?? []), comment] },
        confirmations: [attempt(comment, 'transfer-request', authorisation)],
        trigger: { kind: 'issue_comment', action: 'created', sender: by, commentId: comment.id },
      },
      minute,
    );
    return this;
  }

  /** The scheduled run, `days` after the last event. */
  scan(days: number): this {
    this.minute += days * DAY;
    this.o = this.run({ ...this.o, trigger: { kind: 'scan' } }, this.minute);
    return this;
  }

  /** Every visible text the bot posted with `template`, oldest first. */
  said(template: string): string[] {
    return commentsOf(this.effects, template).map((c) => visible(c.body));
  }

  last(template: string): string {
    const all = this.said(template);
    if (all.length === 0) throw new Error(`nothing posted with ${template}`);
    return all.at(-1) as string;
  }

  /** The transfer request as opened: its title and visible body. */
  request(): { title: string; body: string } {
    const open = this.effects.find((e): e is Extract<Write, { kind: 'open-transfer-request' }> => e.kind === 'open-transfer-request');
    if (!open) throw new Error('no transfer request opened');
    return { title: open.title, body: visible(open.body) };
  }

  /** Everything the bot wrote that a person reads: comments and the transfer request. */
  everything(): string[] {
    return [...commentsOf(this.effects).map((c) => visible(c.body)), ...(this.effects.some((e) => e.kind === 'open-transfer-request') ? [this.request().title, this.request().body] : [])];
  }
}

const READY = ['migration-complete', 'account-team-notified', 'workload-ready'];
const NOT_READY = ['migration-complete', 'account-team-notified', 'workload-not-ready'];

/** An engagement walked to completion: task first, then the assignment team's confirmation. */
function completed(locale: Locale, labels = READY, config?: Config): Thread {
  return new Thread({ ...FIELDS, locale }, config).add(...labels, 'follow-up-sent', 'task-4060-done').command(ASSIGNER);
}

/** The words each language uses for what these tests look for. */
const WORDS = {
  en: {
    headings: ['### Step: preparation — ', '### Step: discussion — ', '### Step: follow-up — ', '### Step: disengagement — '],
    undoHeading: '### Back to the follow-up step',
    undoLine: 'is back at the **follow-up** step',
    stalled: 'this engagement has been at the **discussion** step for **20 days**',
    ftopUnassign: /^- \[ \] @fm-alice, remove your own assignment of the tenant in FTOP: the queue move is confirmed/m,
    githubOnly: "I removed @fm-alice from this issue's GitHub assignees only: your assignment of the tenant in FTOP is untouched",
    rfaInstructions: '- [ ] Give the customer instructions on how to submit a Request for Assistance (RFA).',
    rfaDemo: '- [ ] Demonstrate how to fill in the RFA form, together with the customer:',
    rfaWhen: 'for use when the customer is ready to onboard another workload',
    followUpRefersBack: 'belong in the discussion (see its agenda)',
    laterRfa: 'When you need assistance or guidance from FastTrack later, for example to onboard another workload, submit a Request for Assistance (RFA)',
    readyRfa: 'To request FastTrack assistance for it, submit a Request for Assistance (RFA):',
    basedOn: /based on/i,
    says: /the playbook says|playbook says:/i,
    disengaged: 'the FastTrack engagement with **Contoso Ltd** is being disengaged',
    emailDisengaged: 'The FastTrack engagement with Contoso Ltd is being disengaged.',
    complete: /engagement with \*\*Contoso Ltd\*\* is complete/,
    whoTeam: '**Who can confirm:** a member of `@contoso-ft/assignment`.',
    whoBoth: '**Who can confirm:** a member of `@contoso-ft/assignment`, or @assign-bob, @carol-q.',
    whoLogins: '**Who can confirm:** @assign-bob, @carol-q.',
    whoNobody: '**Who can confirm:** a collaborator with write access.',
    ownFm: "@fm-alice, as this engagement's FastTrack Manager you cannot confirm its queue move yourself (separation of duties): someone from the assignment team (`@contoso-ft/assignment`) must confirm it with `/queue-moved`. Nothing changed.",
    to: '**To**',
    toPlaceholder: '_(add the recipients)_',
    optional: '_(optional)_',
    body: '**Body**',
    signature: 'Alice Example\nFastTrack Manager',
    longDate: '31 December 2027',
    ftopDateLine: '- [ ] Set the next action date to **31 December 2027** (the last day of next year).',
    region: '- **Region:** Americas (inactive queue: FTCQ Inactive – Americas)',
    requestRegion: '- **Region:** Americas',
    accountTeam: '- **Account team:** `ana@contoso.com`, Bo Li &lt;`bo@contoso.com`&gt;',
    customerContacts: '- **Customer contacts:** Carla Cliente &lt;`carla@contoso.com`&gt;, `dan@contoso.com`',
    important: '> [!IMPORTANT]\n> @fm-alice, do not remove your name',
  },
  'pt-BR': {
    headings: ['### Etapa: preparação — ', '### Etapa: discussão — ', '### Etapa: acompanhamento — ', '### Etapa: desligamento — '],
    undoHeading: '### De volta à etapa acompanhamento',
    undoLine: 'voltou para a etapa **acompanhamento**',
    stalled: 'este envolvimento está na etapa **discussão** há **20 dias**',
    ftopUnassign: /^- \[ \] @fm-alice, cancele sua atribuição do tenant no FTOP: a transferência de fila foi confirmada/m,
    githubOnly: 'Removi @fm-alice apenas dos responsáveis desta issue no GitHub: sua atribuição do tenant no FTOP continua como está',
    rfaInstructions: '- [ ] Forneça instruções ao cliente sobre como enviar uma solicitação de RFA.',
    rfaDemo: '- [ ] Demonstre como preencher o formulário de RFA, junto com o cliente:',
    rfaWhen: 'para usar se o cliente estiver pronto para implantar outro workload',
    followUpRefersBack: 'fazem parte da discussão (veja a pauta dela)',
    laterRfa: 'Quando precisar de assistência ou orientação do FastTrack no futuro, por exemplo para integrar outro workload, envie uma Solicitação de Assistência (RFA)',
    readyRfa: 'Para solicitar a assistência do FastTrack para esse workload, envie uma Solicitação de Assistência (RFA):',
    basedOn: /baseado|baseada/i,
    says: /o playbook diz|o guia diz|o guia estratégico diz/i,
    disengaged: 'o envolvimento FastTrack com **Contoso Ltd** está em desligamento',
    emailDisengaged: 'O envolvimento FastTrack com Contoso Ltd está em desligamento.',
    complete: /envolvimento FastTrack com \*\*Contoso Ltd\*\* foi concluído/,
    whoTeam: '**Quem pode confirmar:** um membro de `@contoso-ft/assignment`.',
    whoBoth: '**Quem pode confirmar:** um membro de `@contoso-ft/assignment`, ou @assign-bob, @carol-q.',
    whoLogins: '**Quem pode confirmar:** @assign-bob, @carol-q.',
    whoNobody: '**Quem pode confirmar:** um colaborador com acesso de gravação.',
    ownFm: '@fm-alice, como Gerente FastTrack deste envolvimento, você não pode confirmar a transferência de fila do seu próprio envolvimento (separação de funções): alguém da equipe de Atribuição (`@contoso-ft/assignment`) precisa confirmá-la com `/queue-moved`. Nada foi alterado.',
    to: '**Para**',
    toPlaceholder: '_(adicione os destinatários)_',
    optional: '_(opcional)_',
    body: '**Corpo**',
    signature: 'Alice Example\nGerente FastTrack',
    longDate: '31 de dezembro de 2027',
    ftopDateLine: '- [ ] Defina a próxima data de ação como **31 de dezembro de 2027** (o último dia do ano seguinte).',
    region: '- **Região:** Américas (fila inativa: FTCQ Inativo ‒ Américas)',
    requestRegion: '- **Região:** Américas',
    accountTeam: '- **Equipe de conta:** `ana@contoso.com`, Bo Li &lt;`bo@contoso.com`&gt;',
    customerContacts: '- **Contatos do cliente:** Carla Cliente &lt;`carla@contoso.com`&gt;, `dan@contoso.com`',
    important: '> [!IMPORTANT]\n> @fm-alice, não remova seu nome',
  },
} as const;

describe.each(['en', 'pt-BR'] as const)('wording, %s', (locale) => {
  const w = WORDS[locale];
  const config = testConfig({ locale });

  describe('1. steps are named by their display name', () => {
    it('each step heading names the step in the reader\'s language, never its key', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent');
      const headings = ['step-preparation', 'step-discussion', 'step-follow-up', 'step-offboarding'].map((m) => t.last(m).split('\n')[0]);
      expect(headings.map((h, i) => h?.startsWith(w.headings[i] as string))).toEqual([true, true, true, true]);
      expect(t.last('step-offboarding')).not.toMatch(/offboarding/i);
    });

    it('the undo message names the step the engagement is back at', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent').remove('follow-up-sent');
      const undo = t.last('step-undone');
      expect(undo.split('\n')[0]).toBe(w.undoHeading);
      expect(undo).toContain(w.undoLine);
    });

    it('the stall message names the step the engagement waits in', () => {
      const t = new Thread({ ...FIELDS, locale }).add('migration-complete', 'account-team-notified').scan(20);
      expect(t.last('stalled')).toContain(w.stalled);
    });

    it('the labels-out-of-order message names the current step', () => {
      const t = new Thread({ ...FIELDS, locale }).add('workload-ready');
      const said = t.last('labels-out-of-order');
      expect(said).toContain(locale === 'en' ? 'at the **awaiting migration** step' : 'na etapa **aguardando a migração**');
      if (locale === 'pt-BR') expect(said).not.toMatch(/playbook/);
    });

    if (locale === 'pt-BR') {
      it.each([
        ['none', 'nenhum'],
        ['read', 'leitura'],
        ['triage', 'triagem'],
        ['write', 'gravação'],
        ['maintain', 'manutenção'],
        ['admin', 'administrador'],
      ])('a refusal names the permission %s in Portuguese (%s)', (permission, word) => {
        const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent').command('mallory', { ok: false, reason: 'not-collaborator', permission, repo: 'contoso-ft/engagements' });
        const said = t.last('confirmation-refused');
        expect(said).toContain(`(pessoas com acesso de gravação a \`contoso-ft/engagements\`); seu nível de acesso é ${word}. Nada foi alterado.`);
        expect(said).not.toMatch(/\b(read|triage|write|maintain|admin|none)\b/);
      });

      it('no pt-BR message of a whole engagement says offboarding or playbook in English', () => {
        const t = completed(locale, NOT_READY);
        for (const text of t.everything()) {
          // Step keys and labels in code spans are identifiers, not words of the message.
          const prose = text.replace(/`[^`]*`/g, '');
          expect(prose).not.toMatch(/offboarding|playbook|Step:|Passed through/i);
        }
      });
    } else {
      it.each([
        ['none', 'you have no access'],
        ['read', 'you have read access'],
        ['write', 'you have write access'],
      ])('a refusal names the permission %s', (permission, says) => {
        const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent').command('mallory', { ok: false, reason: 'not-collaborator', permission, repo: 'contoso-ft/engagements' });
        expect(t.last('confirmation-refused')).toContain(says);
      });
    }
  });

  describe('2. the closing message', () => {
    it('carries the FM\'s own FTOP unassignment as an unchecked item, and says only the GitHub assignee was removed', () => {
      const t = completed(locale);
      const closing = t.last('step-completed');
      expect(closing).toMatch(w.ftopUnassign);
      expect(closing).toContain(w.githubOnly);
      expect(t.o.issue.assignees).toEqual([]);
    });
  });

  describe('3. RFA guidance in the meeting itself', () => {
    it('the discussion agenda carries the RFA instructions and the demonstration of the form, for a ready customer', () => {
      const t = new Thread({ ...FIELDS, locale }).add('migration-complete', 'account-team-notified');
      const agenda = t.last('step-discussion');
      expect(agenda).toContain(w.rfaWhen);
      expect(agenda).toContain(w.rfaInstructions);
      expect(agenda).toContain(w.rfaDemo);
    });

    it('the follow-up of a ready customer refers back to the discussion instead of repeating the demonstration', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...READY);
      const followUp = t.last('step-follow-up');
      expect(followUp).toContain(w.followUpRefersBack);
      expect(followUp).not.toContain(w.rfaDemo);
      expect(followUp).toContain(w.readyRfa);
    });

    it('the customer follow-up e-mail of a customer not ready still says how to ask for help later through an RFA', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...NOT_READY);
      const followUp = t.last('step-follow-up');
      expect(followUp).toContain(w.laterRfa);
      expect(followUp).not.toContain(w.readyRfa);
    });
  });

  describe('4. templates tell the truth', () => {
    it('no message claims a draft is based on a template, or attributes a paraphrase to the playbook', () => {
      for (const text of [...completed(locale, READY).everything(), ...completed(locale, NOT_READY).everything()]) {
        expect(text).not.toMatch(w.basedOn);
        expect(text).not.toMatch(w.says);
      }
    });

    it('the FM put back on the assignment reads the rule quoted from the seed (pt-BR) or in plain words (en)', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent');
      const unassigned = settle({ ...t.o, issue: { ...t.o.issue, assignees: [] }, trigger: { kind: 'issues', action: 'unassigned', sender: FM } }, at(100), t.config);
      const said = commentsOf(unassigned.effects, 'fm-reassigned').map((c) => visible(c.body))[0] ?? '';
      expect(said).not.toMatch(w.says);
      if (locale === 'pt-BR') {
        expect(said).toContain('> "O FM não deve remover seu nome até que a conta tenha sido atribuída com êxito a uma das filas mencionadas acima"');
        expect(said).toContain('guia estratégico FastTrack *Realizar Discussão de Conclusão do Envolvimento*');
      } else {
        expect(said).toContain('the FM keeps their assignment until the account has been assigned to one of the inactive queues');
        expect(said).not.toMatch(/^>/m);
      }
    });

    it('the transfer request and its e-mail say the engagement is being disengaged, not complete', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent');
      const { body: request } = t.request();
      expect(request).toContain(w.disengaged);
      expect(request).not.toMatch(w.complete);
      expect(t.last('step-offboarding')).toContain(w.emailDisengaged);
    });

    it.each([
      ['the team', { 'assignment-team': 'contoso-ft/assignment' }, 'whoTeam'],
      ['the team and the logins', { 'assignment-team': 'contoso-ft/assignment', 'assignment-team-members': 'assign-bob, carol-q' }, 'whoBoth'],
      ['the logins', { 'assignment-team': '', 'assignment-team-members': 'assign-bob\ncarol-q' }, 'whoLogins'],
      ['a collaborator with write access when neither is set', { 'assignment-team': '' }, 'whoNobody'],
    ] as const)('the transfer request names who may confirm: %s', (_what, inputs, key) => {
      const t = new Thread({ ...FIELDS, locale }, testConfig({ locale, ...inputs })).add(...READY, 'follow-up-sent');
      const request = t.request().body;
      expect(request).toContain(w[key]);
      // The team is mentioned once, in the greeting; the line naming who confirms does not ping it again.
      const mentions = request.replace(/`[^`]*`/g, '').split('@contoso-ft/assignment').length - 1;
      expect(mentions).toBe('assignment-team' in inputs && inputs['assignment-team'] === '' ? 0 : 1);
    });
  });

  describe('5. separation of duties', () => {
    it('refuses the engagement\'s own FM, says why and who must confirm, and changes nothing', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent');
      const before = t.o.issue.body;
      t.command(FM, { ok: true, via: 'members-list' });
      expect(t.last('confirmation-refused')).toBe(w.ownFm);
      expect(t.o.issue.body).toBe(before);
      expect(t.said('confirmation-receipt')).toEqual([]);
    });
  });

  describe('6. e-mail drafts', () => {
    it('show no Cc section when there is no Cc, and keep the To section', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent');
      for (const message of ['step-preparation', 'step-follow-up', 'step-offboarding']) {
        const text = t.last(message);
        expect(text, message).toContain(w.to);
        expect(text, message).not.toContain('**Cc**');
        expect(text, message).not.toContain(w.optional);
      }
      // The transfer e-mail has no recipients: its To keeps the placeholder.
      expect(t.last('step-offboarding')).toContain(`${w.to}\n${w.toPlaceholder}`);
    });

    it('are signed with the FM\'s name from fm_name, and the follow-up is addressed to the customer contacts', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent');
      for (const message of ['step-preparation', 'step-follow-up', 'step-offboarding']) expect(draftBody(t.last(message), w.body).text, message).toContain(w.signature);
      const followUp = t.last('step-follow-up');
      expect(followUp).toContain(`${w.to}\n\`\`\`text\ncarla@contoso.com; dan@contoso.com\n\`\`\``);
      expect(followUp).toContain('mailto:carla%40contoso.com,dan%40contoso.com?');
      expect(followUp).not.toMatch(/^fm-alice$/m);
    });

    it('without fm_name, the login signs', () => {
      const { fm_name: _name, ...fields } = FIELDS;
      const t = new Thread({ ...fields, locale }).add('migration-complete');
      expect(draftBody(t.last('step-preparation'), w.body).text).toMatch(/^fm-alice$/m);
    });
  });

  describe('7. dates the reader\'s way', () => {
    it('the FTOP checklist and the closing message give the next action date as the reader writes it', () => {
      const t = completed(locale);
      expect(t.last('step-offboarding')).toContain(w.ftopDateLine);
      expect(t.last('step-completed')).toContain(`**${w.longDate}**`);
      // The front-matter keeps the ISO form, for the bot.
      expect(t.o.issue.body).toContain('next_action_date: 2027-12-31');
    });

    it('no text a reader sees carries an ISO date or timestamp, or an ordinal', () => {
      const t = completed(locale);
      // Reopened after completion: the message says when it was completed.
      t.o = settle({ ...t.o, issue: { ...t.o.issue, state: 'open' }, trigger: { kind: 'issues', action: 'reopened', sender: FM } }, at(500), t.config).after;
      const texts = t.everything();
      expect(texts.length).toBeGreaterThan(8);
      for (const text of texts) {
        expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
        expect(text).not.toMatch(/\b\d{1,2}(st|nd|rd|th)\b/);
      }
    });
  });

  describe('8. the name of task 4060', () => {
    it('is the playbook\'s own, and "Offboarding Process Complete" appears nowhere', () => {
      const t = completed(locale, NOT_READY, config);
      for (const text of t.everything()) expect(text).not.toContain('Offboarding Process Complete');
      if (locale === 'en') expect(t.last('step-offboarding')).toContain('"Disengagement Process is Complete (migration)"');
      else expect(t.last('step-offboarding')).toContain('"Processo de Desligamento Concluído (migração)"');
    });
  });
  describe('9. addresses copy cleanly and mention no one', () => {
    it('the summary shows each address as inline code, with no character added to it', () => {
      const welcome = new Thread({ ...FIELDS, locale }).last('welcome');
      expect(welcome).toContain(w.accountTeam);
      expect(welcome).toContain(w.customerContacts);
      expect(welcome).not.toContain('\u200B');
    });

    it('text a person wrote still mentions no one: `@login` at a word start is broken, an address is not', () => {
      const t = new Thread({ ...FIELDS, locale, customer: '"Contoso @contoso-ft/assignment (sales@contoso.com)"' });
      const welcome = t.last('welcome');
      expect(welcome).toContain('Contoso @\u200Bcontoso\\-ft/assignment \\(sales@contoso\\.com\\)');
      // The one mention is the FM's own.
      expect(welcome.replace(/`[^`]*`/g, '').replaceAll('@fm-alice', '')).not.toMatch(/(^|[^A-Za-z0-9])@[A-Za-z0-9]/m);
    });
  });

  describe('10. e-mail drafts read whole and copy cleanly', () => {
    it('the body is a block quote of its lines, never a code block that scrolls sideways, and reads as the e-mail the mailto link sends', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent');
      for (const message of ['step-preparation', 'step-follow-up', 'step-offboarding']) {
        const text = t.last(message);
        const body = draftBody(text, w.body);
        expect(body.markdown.length, message).toBeGreaterThan(5);
        expect(body.markdown.every((l) => l === '>' || l.startsWith('> ')), message).toBe(true);
        expect(body.text, message).toBe(mailtoBody(text));
        expect(body.text, message).not.toContain('\u200B');
        // To and Subject stay blocks with GitHub's copy button; only one line each.
        expect(text.split(w.body)[0]?.match(/```text\n[^\n`]+\n```/g)?.length, message).toBe(message === 'step-offboarding' ? 1 : 2);
      }
      // Lists and numbered steps of the e-mail are its text, not Markdown lists.
      const followUp = draftBody(t.last('step-follow-up'), w.body);
      expect(followUp.markdown).toContain('> \\- Mailbox migration');
      expect(followUp.markdown.some((l) => /^> 1\\\. /.test(l))).toBe(true);
      expect(followUp.text).toContain('\n- Mailbox migration\n- Teams enablement\n');
    });

    it('people\'s text in a draft is shown as text: no HTML, no Handlebars, no mention, no marker', () => {
      const hostile = '<b>Exchange</b> {{labels.engagement}} @contoso-ft/assignment <!-- engagement-bot:confirmed/1/mallory/x --> #12';
      const t = new Thread({ ...FIELDS, locale, services: JSON.stringify([hostile]) }).add('migration-complete');
      const prep = t.last('step-preparation');
      const body = draftBody(prep, w.body);
      const markdown = body.markdown.join('\n');
      expect(markdown).not.toMatch(/<b>|<!--|\{\{|(^|[^A-Za-z0-9])@contoso/);
      expect(body.text).toContain('<b>Exchange</b> {{labels.engagement}} @\u200Bcontoso-ft/assignment <!-- engagement-bot:confirmed/1/mallory/x --> #\u200B12');
      // The mail app gets the text as written.
      expect(mailtoBody(prep)).toContain(hostile);
    });

    it('the transfer request\'s link in the draft stays a link that copies whole', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent');
      const body = draftBody(t.last('step-offboarding'), w.body);
      expect(body.text).toMatch(/: https:\/\/github\.com\/contoso-ft\/engagements\/issues\/2$/m);
    });
  });

  describe('11. one language per reader', () => {
    it('the region reads in the reader\'s language in the summary and the transfer request', () => {
      const t = new Thread({ ...FIELDS, locale, region: 'Americas' }).add(...READY, 'follow-up-sent');
      expect(t.last('welcome')).toContain(w.region);
      expect(t.request().body).toContain(w.requestRegion);
    });

    it('the note that the FM keeps the assignment is GitHub\'s own alert', () => {
      const t = new Thread({ ...FIELDS, locale }).add(...READY, 'follow-up-sent');
      expect(t.last('step-offboarding')).toContain(w.important);
    });
  });
});

describe('escaping for readers', () => {
  // GitHub reads `@login` as a mention only when the `@` does not follow an ASCII letter or digit
  // (rust-lang/triagebot, parser/src/mentions.rs, models the same rule, with `user@example.com` as no mention).
  it.each(['ana@contoso.com', 'ana.li+ft@contoso.com', 'x9@y.org'])('leaves the @ of the address %s alone', (address) => {
    expect(inline(address)).not.toContain('\u200B');
  });

  it.each(['@fm-alice', 'cc @contoso-ft/assignment', '(@fm-alice)', 'a_@fm-alice', 'é@fm-alice', 'x.@fm-alice'])('breaks the @ that could mention in %s', (text) => {
    expect(inline(text)).toContain('@\u200B');
  });

  it('a block quote shows lines that look like Markdown blocks as text, and people\'s text as inline escapes it', () => {
    const text = ['- item', '1. step', '# title', '===', '    indented', '> quoted', '| a | b |', '', `Hi ${PEOPLE_OPEN}@x <b>*y*</b>\n- z${PEOPLE_CLOSE}, https://github.com/o/r/issues/2`].join('\n');
    expect(quotedText(text).split('\n')).toEqual([
      '> \\- item',
      '> 1\\. step',
      '> \\# title',
      '> \\===',
      '> &nbsp;&nbsp;&nbsp;&nbsp;indented',
      '> &gt; quoted',
      '> \\| a \\| b \\|',
      '>',
      '> Hi @\u200Bx &lt;b&gt;\\*y\\*&lt;/b&gt;',
      '> \\- z, https://github.com/o/r/issues/2',
    ]);
  });
});
