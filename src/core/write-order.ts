// The order of a plan's writes in its one mutation document, which GitHub runs in order: the body
// (the journal) first, then the engagement's comments, its labels, its assignees, the transfer
// request, and closing the engagement last, so that a document cut short (a connection lost, a
// run killed) leaves the record written and the engagement open for the next run to finish.
import type { Effect } from './plan.js';
import type { IssueTarget } from '../process/settings.js';

function sameIssue(a: IssueTarget, b: IssueTarget): boolean {
  return a.number === b.number && a.repo.owner.toLowerCase() === b.repo.owner.toLowerCase() && a.repo.name.toLowerCase() === b.repo.name.toLowerCase();
}

function rank(effect: Effect, engagement: IssueTarget): number {
  if (!('target' in effect)) return 0;
  if (!sameIssue(effect.target, engagement)) return 5;
  switch (effect.kind) {
    case 'update-body':
      return 1;
    case 'comment':
    case 'edit-comment':
    case 'delete-comment':
    case 'minimize-comment':
    case 'add-reaction':
      return 2;
    case 'add-labels':
    case 'remove-label':
      return 3;
    case 'add-assignees':
    case 'remove-assignees':
      return 4;
    default:
      return 6;
  }
}

/** The effects in write order; effects of one kind keep the order the rules gave them. */
export function inWriteOrder(effects: Effect[], engagement: IssueTarget): Effect[] {
  return effects
    .map((effect, i) => ({ effect, i, rank: rank(effect, engagement) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((e) => e.effect);
}
