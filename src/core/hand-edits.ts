// Bot-owned keys edited by hand go back to what the bot wrote, with one comment saying so.
import type { BotState } from '../process/engagement.js';
import type { Effect } from './plan.js';
import { BOT_ACTOR, type Facts } from './facts.js';
import { asWritten, botKeysOf, parseEngagement } from '../process/frontmatter.js';
import { code, mention } from '../messages/markdown.js';
import { digest, keys } from '../process/markers.js';
import { comment, shouldPost } from './say.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function fromKeys(flat: Record<string, unknown>, like: BotState): BotState {
  const pick = (from: object) => Object.fromEntries(Object.keys(from).map((k) => [k, flat[k]]));
  const state = { ...like } as Record<string, unknown>;
  for (const k of Object.keys(like)) if (k !== 'recorded' && k !== 'tasks' && k in flat) state[k] = flat[k];
  return { ...(state as unknown as BotState), recorded: pick(like.recorded) as BotState['recorded'], tasks: pick(like.tasks) as BotState['tasks'] };
}

export interface Restored {
  state: BotState | null;
  keys: string[];
  /** Keys the comment about it by what was edited. */
  key: string;
}

/**
 * The `edited` payload says what the edit changed; a key is restored only if it still holds the
 * edited value, so a late payload never undoes a later write by the bot.
 */
function undoEdit(f: Facts, state: BotState | null): { state: BotState | null; keys: string[]; key: string | null } {
  const t = f.obs.trigger;
  if (t.kind !== 'issues' || t.action !== 'edited' || !t.edit || t.sender === BOT_ACTOR) return { state, keys: [], key: null };
  const beforeEdit = parseEngagement(t.edit.before, f.config.playbooks);
  const afterEdit = parseEngagement(t.edit.after, f.config.playbooks);
  if (!beforeEdit.ok || !afterEdit.ok || beforeEdit.bot === null) return { state, keys: [], key: null };
  const was: Record<string, unknown> = asWritten(beforeEdit.bot);
  const edited: Record<string, unknown> = afterEdit.bot ? asWritten(afterEdit.bot) : {};
  const now: Record<string, unknown> | null = state ? asWritten(state) : null;
  const next = { ...(now ?? was) };
  const restored: string[] = [];
  for (const k of botKeysOf(f.playbook)) {
    if (same(was[k], edited[k])) continue;
    if (!same(now?.[k], edited[k])) continue; // written again since the edit: keep the newer value
    next[k] = was[k];
    restored.push(k);
  }
  if (restored.length === 0) return { state, keys: [], key: null };
  return { state: fromKeys(next, state ?? beforeEdit.bot), keys: restored, key: keys.restored(digest(t.edit.after)) };
}

/** Keys the bot cannot read are rebuilt; `step` always equals where the last history entry went. */
function rebuild(f: Facts, state: BotState, restored: string[]): BotState {
  let next = state;
  const lastMove = next.history.at(-1);
  const stepUnreadable = f.parsed.botProblems.some((p) => 'key' in p && p.key === 'step');
  if (lastMove && next.step !== lastMove.to && !stepUnreadable) {
    next = { ...next, step: lastMove.to };
    if (!restored.includes('step')) restored.push('step');
  }
  const unreadable = f.parsed.botProblems.flatMap((p) => ('key' in p ? [p.key] : [])).filter((k) => !restored.includes(k));
  if (unreadable.length === 0) return next;
  const last = next.history.at(-1);
  next = { ...next };
  if (unreadable.includes('step')) next.step = last?.to ?? (f.playbook.steps[0]?.key as string);
  if (unreadable.includes('step_since')) next.step_since = last?.at ?? f.nowIso;
  restored.push(...unreadable);
  return next;
}

export function restoreBotKeys(f: Facts): Restored {
  const edit = undoEdit(f, f.parsed.bot);
  const restored = [...edit.keys];
  const state = edit.state === null ? null : rebuild(f, edit.state, restored);
  return { state, keys: restored, key: edit.key ?? keys.restored(digest(f.obs.issue.body)) };
}

export function restoredMessage(f: Facts, restored: Restored): Effect[] {
  if (restored.keys.length === 0 || !shouldPost(f.obs.comments, restored.key, true)) return [];
  const editor = f.obs.trigger.kind === 'scan' ? null : mention(f.actor);
  return [comment(f, 'bot-keys-restored', restored.key, { keys: restored.keys.map(code), editor, labels: { engagement: code(f.config.labels.engagement) } })];
}
