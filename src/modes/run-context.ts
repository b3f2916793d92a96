// What every mode's run shares: the configuration, the GitHub port, the loaded messages, the clock
// and the log.
import type { Config } from '../process/settings.js';
import type { GitHub } from '../github/port.js';
import type { Messages } from '../messages/messages.js';

export interface RunContext {
  config: Config;
  gh: GitHub;
  /** The board's own port, when `project-token` is another token than `github-token` (a GitHub App's, say). */
  boardGh?: GitHub;
  messages: Messages;
  now: () => Date;
  log: { info(message: string): void; warning(message: string): void };
}
