// The assignment team's `/queue-moved` command: how it is recognised and which queue it names.
import { keys, markersIn } from './markers.js';
import type { CommentView } from './observation.js';
import { QUEUE_MOVED_COMMAND } from './playbook.js';

export interface QueueMovedCommand {
  /** The queue named after the command, as written; null when none was named. */
  queue: string | null;
}

/** The command in a comment body, when its first line is `/queue-moved [queue name]`. */
export function parseQueueMoved(body: string): QueueMovedCommand | null {
  const firstLine = (body.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').trim();
  const match = /^\/queue-moved(?:\s+(.*))?$/i.exec(firstLine);
  if (!match || !firstLine.toLowerCase().startsWith(QUEUE_MOVED_COMMAND)) return null;
  const queue = match[1]?.trim() ?? '';
  return { queue: queue === '' ? null : queue };
}

/** Compares queue names the way people type them: any dash, any spacing, any case, no accents. */
export function sameQueueName(a: string, b: string): boolean {
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[\u2010-\u2015\u2212-]/g, '-')
      .replace(/\s*-\s*/g, '-')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase();
  return fold(a) === fold(b);
}

/** `/queue-moved` commands in `comments` that the bot has not answered yet, oldest first. */
export function unansweredCommands(comments: CommentView[]): Array<{ comment: CommentView; queue: string | null }> {
  const answered = new Set(comments.filter((c) => c.byBot).flatMap((c) => markersIn(c.body)));
  return comments.flatMap((comment) => {
    if (comment.byBot) return [];
    const command = parseQueueMoved(comment.body);
    return command && !answered.has(keys.reply(comment.id)) ? [{ comment, queue: command.queue }] : [];
  });
}
