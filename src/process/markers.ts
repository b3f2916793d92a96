// Every comment and issue the bot writes ends with a hidden marker naming what it is. Finding a
// marker on the issue (in a comment by the bot itself) is how a re-run knows a message was
// already posted, so repeated and resumed runs never post it twice.

const MARKER_LINE = /^<!-- engagement-bot:([A-Za-z0-9:/._#+-]+) -->$/;

export function marker(key: string): string {
  return `<!-- engagement-bot:${key} -->`;
}

/**
 * The markers the bot appended: whole lines at the very end of the body. A marker anywhere else
 * (inside a field value quoted in an e-mail draft, say) is text, never an instruction.
 */
export function markersIn(body: string): string[] {
  const lines = body.replace(/\r\n/g, '\n').trimEnd().split('\n');
  const found: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = MARKER_LINE.exec((lines[i] as string).trim());
    if (!m) break;
    found.unshift(m[1] as string);
  }
  return found;
}

export function withMarker(text: string, key: string): string {
  return `${text.trimEnd()}\n\n${marker(key)}\n`;
}

/**
 * Marker keys, one builder per kind of message, so the key format lives in one place. A message
 * about a step is keyed by the step's entry (`discussion/2`: the second time in the discussion),
 * never by a time, so two runs that make the same move compute the same key.
 */
export const keys = {
  stepEntry: (entry: string) => `step/${entry}`,
  /** The engagement's one live status comment. */
  status: () => 'status',
  /** What the status says, as a digest: edited only when it changes. */
  statusView: (hash: string) => `status-view/${hash}`,
  invalid: (digest: string) => `invalid/${digest}`,
  reply: (commentId: number) => `reply/${commentId}`,
  /** What the reply to a command said: its receipt's reaction follows from it. */
  verdict: (commentId: number, accepted: boolean) => `verdict/${commentId}/${accepted ? 'accepted' : 'refused'}`,
  /** On an accepting receipt: the confirmation itself, so a write lost to a race is rebuilt. */
  confirmed: (commentId: number, login: string, at: string, handoffEntry: string) => `confirmed/${commentId}/${login}/${at}/${handoffEntry}`,
  outOfOrder: (labels: string[], entry: string) => `out-of-order/${labels.join('+')}/${entry}`,
  fmReassigned: (entry: string) => `fm-reassigned/${entry}`,
  taskRecorded: (taskId: number, entry: string) => `task-${taskId}/${entry}`,
  restored: (digest: string) => `restored/${digest}`,
  playbookChangeRefused: (requested: string, since: string) => `playbook-change-refused/${requested}/${since}`,
  transferRequestFor: (engagementRef: string) => `transfer-request-for/${engagementRef}`,
  transferCancelled: (entry: string) => `transfer-cancelled/${entry}`,
  /** `time`: how many times the request was put on hold in this entry (0 when never). */
  transferReopened: (entry: string, time: number) => `transfer-reopened/${entry}${time > 0 ? `/${time}` : ''}`,
  transferPaused: (entry: string, time: number) => `transfer-paused/${entry}/${time}`,
  /** The closing note to the assignment team: once per engagement (completion is final). */
  transferDone: () => 'transfer-done',
  /** The note on a request closed as a duplicate of the one kept (`owner/repo#12`). */
  transferDuplicate: (kept: string) => `transfer-duplicate/${kept}`,
  reopened: (at: string) => `reopened/${at}`,
  stalled: (entry: string) => `stalled/${entry}`,
};

/** A short stable digest (FNV-1a, 32 bits) used to key messages about a particular problem. */
export function digest(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
