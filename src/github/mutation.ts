// A plan's writes as one GraphQL mutation document. GitHub runs its top-level fields one after the
// other, in order, and counts the document as one request: a decision costs one write request.
// Labels and assignees stay deltas (add or remove these), never a replacement that could erase a
// person's change made meanwhile. A write whose node ids the read did not bring goes by REST.
import { targetName, type Write } from '../core/plan.js';
import type { IssueTarget } from '../process/settings.js';
import type { NodeIds } from './port.js';

export interface MutationField {
  alias: string;
  /** The mutation field, e.g. `addComment`. */
  field: string;
  write: Write;
}

export interface Mutation {
  document: string;
  variables: Record<string, unknown>;
  fields: MutationField[];
  /** Writes that cannot be named by node id: sent by REST, after the document. */
  rest: Write[];
  /** Writes with nothing left to do (a label or assignee already gone). */
  done: Write[];
}

const fold = (text: string) => text.toLowerCase();
/** An issue as node ids are looked up: `owner/repo#12`, folded. */
export const issueKey = (target: IssueTarget) => fold(targetName(target));

/** The input type of each mutation field this module sends, for the document's variables. */
const INPUT_TYPES: Record<string, string> = {
  updateIssue: 'UpdateIssueInput',
  addComment: 'AddCommentInput',
  updateIssueComment: 'UpdateIssueCommentInput',
  minimizeComment: 'MinimizeCommentInput',
  addReaction: 'AddReactionInput',
  deleteIssueComment: 'DeleteIssueCommentInput',
  addLabelsToLabelable: 'AddLabelsToLabelableInput',
  removeLabelsFromLabelable: 'RemoveLabelsFromLabelableInput',
  addAssigneesToAssignable: 'AddAssigneesToAssignableInput',
  removeAssigneesFromAssignable: 'RemoveAssigneesFromAssignableInput',
  closeIssue: 'CloseIssueInput',
  reopenIssue: 'ReopenIssueInput',
  addProjectV2ItemById: 'AddProjectV2ItemByIdInput',
  updateProjectV2ItemFieldValue: 'UpdateProjectV2ItemFieldValueInput',
  clearProjectV2ItemFieldValue: 'ClearProjectV2ItemFieldValueInput',
};

/** What each field answers: just enough to know it ran (a comment's ids, for later edits). */
const SELECTIONS: Record<string, string> = {
  addComment: 'commentEdge { node { id databaseId url } }',
  minimizeComment: 'minimizedComment { isMinimized }',
  addProjectV2ItemById: 'item { id }',
};

const STATE_REASON = { completed: 'COMPLETED', not_planned: 'NOT_PLANNED', duplicate: 'DUPLICATE' } as const;

type Named = { field: string; input: Record<string, unknown> } | 'rest' | 'done';
type Fields = Named | Array<{ field: string; input: Record<string, unknown> }>;

/** A value as a board field of this type takes it; undefined when the board has no such field or option. */
function boardValue(field: { dataType: string; options: Record<string, string> }, value: string): Record<string, string> | undefined {
  if (field.dataType === 'SINGLE_SELECT') return field.options[value] ? { singleSelectOptionId: field.options[value] as string } : undefined;
  if (field.dataType === 'DATE') return { date: value };
  return { text: value };
}

/**
 * The board's fields that differ from what the engagement's item says, as updates; the item added
 * first when the engagement is not on the board (its values follow in a second request, which
 * needs the new item's id).
 */
function boardFields(write: Extract<Write, { kind: 'board' }>, issueId: string, known: NodeIds): Fields {
  const board = known.board;
  if (!board || 'refused' in board) return 'done';
  if (!board.item) return { field: 'addProjectV2ItemById', input: { projectId: board.projectId, contentId: issueId } };
  const item = board.item;
  const fields: Array<{ field: string; input: Record<string, unknown> }> = [];
  for (const [name, value] of Object.entries(write.values)) {
    const field = board.fields[name];
    if (!field || (value ?? undefined) === item.values[name]) continue;
    const base = { projectId: board.projectId, itemId: item.id, fieldId: field.id };
    if (value === null) fields.push({ field: 'clearProjectV2ItemFieldValue', input: base });
    else {
      const typed = boardValue(field, value);
      if (typed) fields.push({ field: 'updateProjectV2ItemFieldValue', input: { ...base, value: typed } });
    }
  }
  return fields.length === 0 ? 'done' : fields;
}

function ids(names: string[], known: Record<string, string>): Array<string | undefined> {
  return names.map((n) => known[fold(n)]);
}

/** The mutation field and input for one write, or where it goes instead. */
function fieldFor(write: Write, known: NodeIds): Fields {
  if (!('target' in write)) return 'rest';
  const issueId = known.issues[issueKey(write.target)];
  if (issueId === undefined) return 'rest';
  switch (write.kind) {
    case 'update-body':
      return { field: 'updateIssue', input: { id: issueId, body: write.body } };
    case 'comment':
      return { field: 'addComment', input: { subjectId: issueId, body: write.body } };
    case 'delete-comment':
      return { field: 'deleteIssueComment', input: { id: write.nodeId } };
    case 'edit-comment':
      return { field: 'updateIssueComment', input: { id: write.nodeId, body: write.body } };
    case 'minimize-comment':
      return { field: 'minimizeComment', input: { subjectId: write.nodeId, classifier: 'OUTDATED' } };
    case 'add-reaction':
      return { field: 'addReaction', input: { subjectId: write.nodeId, content: write.content } };
    case 'board':
      return boardFields(write, issueId, known);
    case 'add-labels': {
      const labelIds = ids(write.labels, known.labels);
      // A label the repository lacks: REST creates it as it adds it.
      return labelIds.every((id) => id !== undefined) ? { field: 'addLabelsToLabelable', input: { labelableId: issueId, labelIds } } : 'rest';
    }
    case 'remove-label': {
      const [labelId] = ids([write.label], known.labels);
      return labelId === undefined ? 'done' : { field: 'removeLabelsFromLabelable', input: { labelableId: issueId, labelIds: [labelId] } };
    }
    case 'add-assignees': {
      const userIds = ids(write.logins, known.users);
      return userIds.every((id) => id !== undefined) ? { field: 'addAssigneesToAssignable', input: { assignableId: issueId, assigneeIds: userIds } } : 'rest';
    }
    case 'remove-assignees': {
      const userIds = ids(write.logins, known.users).filter((id) => id !== undefined);
      return userIds.length === 0 ? 'done' : { field: 'removeAssigneesFromAssignable', input: { assignableId: issueId, assigneeIds: userIds } };
    }
    case 'close-issue': {
      const duplicateIssueId = write.duplicateOf ? known.issues[issueKey(write.duplicateOf)] : undefined;
      return { field: 'closeIssue', input: { issueId, stateReason: STATE_REASON[write.reason], ...(duplicateIssueId ? { duplicateIssueId } : {}) } };
    }
    case 'reopen-issue':
      return { field: 'reopenIssue', input: { issueId } };
  }
}

export function mutationFor(writes: Write[], known: NodeIds): Mutation {
  const fields: MutationField[] = [];
  const rest: Write[] = [];
  const done: Write[] = [];
  const variables: Record<string, unknown> = {};
  for (const write of writes) {
    const named = fieldFor(write, known);
    if (named === 'rest') rest.push(write);
    else if (named === 'done') done.push(write);
    else {
      for (const one of Array.isArray(named) ? named : [named]) {
        const alias = `w${fields.length}`;
        variables[alias] = one.input;
        fields.push({ alias, field: one.field, write });
      }
    }
  }
  const declared = fields.map((f) => `$${f.alias}: ${INPUT_TYPES[f.field]}!`).join(', ');
  const body = fields.map((f) => `  ${f.alias}: ${f.field}(input: $${f.alias}) { ${SELECTIONS[f.field] ?? 'clientMutationId'} }`).join('\n');
  const document = fields.length === 0 ? '' : `mutation ApplyPlan(${declared}) {\n${body}\n}`;
  return { document, variables, fields, rest, done };
}
