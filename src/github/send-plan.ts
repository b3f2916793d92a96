// The edge between a decision and GitHub: renders the plan's messages and sends the plan as one
// write request (see mutation.ts). GitHub may apply part of a document and refuse the rest, with
// nothing rolled back: that is reported, never hidden, and the next run completes what is left,
// since every write is keyed or a delta. In a dry run nothing is sent; the plan is still reported.
import { targetName, type Effect, type Write } from '../core/plan.js';
import { renderLine, renderMarked } from '../messages/render.js';
import type { Messages } from '../messages/messages.js';
import { repoName, type IssueTarget } from '../process/settings.js';
import type { EngagementSnapshot, GitHub, NodeIds, OpenedTransferRequest, WriteOutcome } from './port.js';

/** GitHub's limit on an issue title. */
const MAX_TITLE = 256;

/** An effect as GitHub receives it: its messages rendered. */
export function renderWrite(messages: Messages, effect: Effect): Write {
  switch (effect.kind) {
    case 'comment':
    case 'edit-comment': {
      const { values: _values, drafts: _drafts, ...rest } = effect;
      return { ...rest, body: renderMarked(messages, effect, effect.key, effect.extraKeys) };
    }
    case 'open-transfer-request':
      return { ...effect, title: renderLine(messages, effect.title, MAX_TITLE), body: renderMarked(messages, effect.body, effect.key) };
    default:
      return effect;
  }
}

/** Writes GitHub refused, with what it said: the run fails with this, and the next run completes them. */
export class WritesRefused extends Error {
  override name = 'WritesRefused';
  constructor(readonly refused: WriteOutcome[], total: number) {
    super(
      `${refused.length} of ${total} write(s) were not applied; the ones before them were, and the next run (the engagement's next event or the scheduled scan) completes the rest:\n` +
        refused.map((o) => `- ${whatAndWhere(o.write)}: ${o.error?.type}: ${o.error?.message}${hint(o)}`).join('\n'),
    );
  }
}

function whatAndWhere(write: Write): string {
  if (write.kind === 'open-transfer-request') return `opening the transfer request in ${repoName(write.repo)}`;
  const where = 'target' in write ? targetName(write.target) : repoName(write.repo);
  const what = write.kind === 'comment' ? `comment \`${write.template}\` (${write.key})` : write.kind;
  return `${what} on ${where}`;
}

/** What to change when GitHub refused for want of access: which token, which permission, where. */
function hint(o: WriteOutcome): string {
  const type = o.error?.type ?? '';
  const write = o.write;
  const repo = write.kind === 'open-transfer-request' ? repoName(write.repo) : 'target' in write ? repoName(write.target.repo) : 'repo' in write ? repoName(write.repo) : 'that repository';
  if (type === 'FORBIDDEN' || type === 'HTTP 403') {
    const elsewhere =
      write.kind === 'open-transfer-request'
        ? ` A workflow's GITHUB_TOKEN reaches only its own repository: for an \`assignment-repo\` elsewhere, give \`github-token\` a GitHub App installation token (actions/create-github-app-token) or a fine-grained token with Issues: read and write on ${repo}.`
        : '';
    return ` (the token needs \`issues: write\` on ${repo}: add \`permissions: issues: write\` to the workflow's job.${elsewhere})`;
  }
  if (type === 'NOT_FOUND' || type === 'HTTP 404') {
    return write.kind === 'open-transfer-request'
      ? ` (${repo} does not exist, or the token cannot see it: check the \`assignment-repo\` input, and that \`github-token\` can read and write issues there)`
      : ' (the issue or repository is gone, or the token cannot see it)';
  }
  return '';
}

/** Renders and sends a plan: one write request, REST only for what GraphQL cannot name. */
export async function sendPlan(gh: GitHub, messages: Messages, effects: Effect[], ids: NodeIds): Promise<WriteOutcome[]> {
  return sendWrites(gh, effects.map((e) => renderWrite(messages, e)), ids);
}

/** No node ids: writes that need none (labels of the repository, the dashboard) go by REST. */
export const NO_IDS: NodeIds = { issues: {}, labels: {}, users: {} };

/** Sends writes already rendered; throws when GitHub refused any. A comment to pin is pinned once posted. */
export async function sendWrites(gh: GitHub, writes: Write[], ids: NodeIds = NO_IDS): Promise<WriteOutcome[]> {
  if (writes.length === 0) return [];
  const outcomes = await gh.applyWrites(writes, ids);
  const refused = outcomes.filter((o) => !o.ok);
  if (refused.length > 0) throw new WritesRefused(refused, outcomes.length);
  for (const o of outcomes) {
    if (o.write.kind === 'comment' && o.write.pin && o.created) o.warning = await pin(gh, o.write.target, o.created.id);
  }
  return outcomes;
}

/**
 * Pins the live status (one REST call, once per engagement). A refusal does not fail the run: the
 * status is still there, edited on every move, only not at the top; the run warns.
 */
async function pin(gh: GitHub, target: IssueTarget, commentId: number): Promise<string | undefined> {
  try {
    await gh.pinComment(target.repo, commentId);
    return undefined;
  } catch (error) {
    return `${targetName(target)}: the status comment could not be pinned (${(error as Error).message}); it stays in the thread and is still kept up to date.`;
  }
}

/** Opens the transfer request on its own: the plan that follows names its number. */
export async function openTransferRequest(gh: GitHub, messages: Messages, effect: Extract<Effect, { kind: 'open-transfer-request' }>, snapshot: Pick<EngagementSnapshot, 'ids' | 'issue'>): Promise<OpenedTransferRequest> {
  const write = renderWrite(messages, effect) as Extract<Write, { kind: 'open-transfer-request' }>;
  const parent = write.parent ? { ...write.parent, nodeId: snapshot.issue.nodeId } : null;
  try {
    return await gh.openTransferRequest({ repo: write.repo, title: write.title, body: write.body, labels: write.labels, assignees: write.assignees, parent }, snapshot.ids);
  } catch (error) {
    throw new WritesRefused([{ write, ok: false, error: errorOf(error) }], 1);
  }
}

function errorOf(error: unknown): { type: string; message: string } {
  const e = error as { status?: number; message?: string; errors?: Array<{ type?: string; message: string }> };
  const first = e.errors?.[0];
  if (first) return { type: first.type ?? 'ERROR', message: first.message };
  return { type: e.status ? `HTTP ${e.status}` : 'ERROR', message: e.message ?? String(error) };
}
