// Applies a decision's effects through the GitHub port, in the order the core gave them.
// In a dry run nothing is written; every effect is still reported.
import type { EngagementSnapshot, GitHub } from './port.js';
import type { Effect } from '../core/effects.js';
import type { TransferRequestView } from '../process/engagement-read.js';

export interface ApplyOptions {
  dryRun: boolean;
  /** Node ids from the engagement's read, for opening a transfer request in one call. */
  snapshot?: Pick<EngagementSnapshot, 'ids' | 'issue'>;
}

/** Applies one effect; returns the transfer request it opened, if it opened one. */
export async function applyEffect(gh: GitHub, effect: Effect, options: ApplyOptions): Promise<TransferRequestView | null> {
  if (options.dryRun) {
    return effect.kind === 'open-transfer-request' ? { repo: effect.repo, number: 0, url: '(dry run)', state: 'open', comments: [] } : null;
  }
  switch (effect.kind) {
    case 'open-transfer-request': {
      const snapshot = options.snapshot;
      if (!snapshot) throw new Error('opening a transfer request needs the engagement as read (its node ids)');
      const parent = effect.parent ? { ...effect.parent, nodeId: snapshot.issue.nodeId } : null;
      return gh.openTransferRequest({ repo: effect.repo, title: effect.title, body: effect.body, labels: effect.labels, assignees: effect.assignees, parent }, snapshot.ids);
    }
    case 'create-issue':
      await gh.createIssue(effect.repo, { title: effect.title, body: effect.body, labels: effect.labels });
      return null;
    case 'create-label':
      await gh.createLabel(effect.repo, effect.label);
      return null;
    case 'update-label':
      await gh.updateLabel(effect.repo, effect.name, effect.label);
      return null;
    case 'update-body':
      await gh.updateIssue(effect.target, { body: effect.body });
      return null;
    case 'comment':
      await gh.createComment(effect.target, effect.body);
      return null;
    case 'delete-comment':
      await gh.deleteComment(effect.target.repo, effect.commentId);
      return null;
    case 'add-labels':
      await gh.addLabels(effect.target, effect.labels);
      return null;
    case 'remove-label':
      await gh.removeLabel(effect.target, effect.label);
      return null;
    case 'add-assignees':
      await gh.addAssignees(effect.target, effect.logins);
      return null;
    case 'remove-assignees':
      await gh.removeAssignees(effect.target, effect.logins);
      return null;
    case 'close-issue':
      await gh.updateIssue(effect.target, { state: 'closed', stateReason: effect.reason });
      return null;
    case 'reopen-issue':
      await gh.updateIssue(effect.target, { state: 'open', stateReason: 'reopened' });
      return null;
  }
}

export async function applyEffects(gh: GitHub, effects: Effect[], options: ApplyOptions): Promise<void> {
  for (const effect of effects) await applyEffect(gh, effect, options);
}
