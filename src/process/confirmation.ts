// The assignment team's confirmation command (`/queue-moved` in the built-in playbooks): how it
// is recognised and which queue it names.
import type { Config } from './settings.js';
import { keys, markersIn } from './markers.js';
import type { CommentView } from './engagement-read.js';

export interface QueueMovedCommand {
  /** The queue named after the command, as written; null when none was named. */
  queue: string | null;
}

/** Every playbook's confirmation command a run answers. */
export function confirmationCommands(config: Pick<Config, 'playbooks'>): string[] {
  return [...new Set(config.playbooks.all.map((p) => p.handoff.command.toLowerCase()))];
}

/** The command in a comment body, when its first line is one of `commands`, optionally followed by a queue name. */
export function parseQueueMoved(body: string, commands: string[]): QueueMovedCommand | null {
  const firstLine = (body.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').trim();
  for (const command of commands) {
    const match = new RegExp(`^${command.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?:\\s+(.*))?$`, 'i').exec(firstLine);
    if (!match) continue;
    const queue = match[1]?.trim() ?? '';
    return { queue: queue === '' ? null : queue };
  }
  return null;
}

/** Commands in `comments` that the bot has not answered yet, oldest first. */
export function unansweredCommands(comments: CommentView[], commands: string[]): Array<{ comment: CommentView; queue: string | null }> {
  const answered = new Set(comments.filter((c) => c.byBot).flatMap((c) => markersIn(c.body)));
  return comments.flatMap((comment) => {
    if (comment.byBot) return [];
    const command = parseQueueMoved(comment.body, commands);
    return command && !answered.has(keys.reply(comment.id)) ? [{ comment, queue: command.queue }] : [];
  });
}
