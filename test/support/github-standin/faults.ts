// Fault injection: rules matched against each request before it is applied (HTTP-level kinds), or against each
// top-level field of a GraphQL document as it runs (kind 'graphql-error').
//
//   gh.fault({ kind: 'status', status: 502, graphql: 'mutation' });          // the next mutation document: HTTP 502
//   gh.fault({ kind: 'reset', graphql: 'mutation', appliedFields: 2 });      // runs 2 fields, then drops the connection
//   gh.fault({ kind: 'graphql-error', field: 'addComment' });                // the next addComment field: null + INTERNAL
//   gh.fault({ kind: 'graphql-error', graphql: 'mutation', nth: 3, type: 'FORBIDDEN' }); // 3rd field of the next mutation
//   gh.fault({ kind: 'graphql-error', field: 'addLabelsToLabelable', skip: 1, times: 2 }); // the 2nd and 3rd such fields
import { STATUS_CODES } from 'node:http';
import { DOCS } from './model.js';

export interface FaultRule {
  /**
   * 'status' | 'reset' | 'secondary-rate-limit': the whole HTTP request fails (matched once per request).
   * 'graphql-error': one top-level field of a GraphQL document fails: GitHub's HTTP 200 with `data.<alias>: null` and
   * `errors: [{ type, path: [<alias>], message }]`; the fields before it stay applied and the ones after it still run.
   */
  kind: 'status' | 'reset' | 'secondary-rate-limit' | 'graphql-error';
  method?: string;
  /** Matched against the URL pathname (exact string, or RegExp test). */
  path?: string | RegExp;
  /** Only GraphQL requests (documents, for 'graphql-error') of this operation type. */
  graphql?: 'query' | 'mutation';
  /** For kind 'status' (default 500). */
  status?: number;
  /** Seconds, for kind 'secondary-rate-limit' (default 1). */
  retryAfter?: number;
  /**
   * How many matches fail (default 1; Infinity = until cleared). A match is a request for the HTTP-level kinds and
   * a top-level field for 'graphql-error'.
   */
  times?: number;
  /** How many matches pass before the failures start (default 0): requests, or fields for 'graphql-error'. */
  skip?: number;
  /** Only requests made with this login's token. */
  actor?: string;
  /**
   * Kinds 'status' and 'reset' on a GraphQL request: how many of the document's top-level fields run, and stay
   * applied, before the failure is answered (GitHub timing out part-way through a mutation document). Default 0.
   */
  appliedFields?: number;
  /** Kind 'graphql-error': only fields of this name (the schema's name, e.g. 'addComment', never the alias). */
  field?: string;
  /** Kind 'graphql-error': only the field at this 1-based position among its document's top-level fields (aliases count one each). */
  nth?: number;
  /** Kind 'graphql-error': the error's `type` (default 'INTERNAL'; null: an error without a type). */
  type?: string | null;
  /** Kind 'graphql-error': the error's message (default: GitHub's "Something went wrong while executing your query…"). */
  message?: string;
  /**
   * Kind 'graphql-error': the field's change is made before the error is answered (default false: nothing changes),
   * as when GitHub fails after writing.
   */
  afterApplying?: boolean;
}

export interface FaultTarget {
  method: string;
  path: string;
  graphql?: 'query' | 'mutation';
  actor?: string | null;
}

/** A top-level GraphQL field about to run. */
export interface FieldFaultTarget extends FaultTarget {
  field: string;
  /** 1-based position among the document's top-level fields. */
  position: number;
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
  'If you reach out to GitHub Support for help, please include the request ID ';

export class Faults {
  private rules: Array<{ rule: FaultRule; left: number; toSkip: number }> = [];

  add(rule: FaultRule): void {
    if (rule.kind === 'status' && rule.status !== undefined && (rule.status < 400 || rule.status > 599)) {
      throw new Error(`stand-in: fault status must be 4xx/5xx, got ${rule.status}`);
    }
    const fieldOnly = (['field', 'nth', 'type', 'message', 'afterApplying'] as const).filter((k) => rule[k] !== undefined);
    if (rule.kind !== 'graphql-error' && fieldOnly.length) {
      throw new Error(`stand-in: ${fieldOnly.join(', ')} only apply to kind 'graphql-error' (got kind '${rule.kind}')`);
    }
    if (rule.kind === 'graphql-error' && (rule.status !== undefined || rule.retryAfter !== undefined || rule.appliedFields !== undefined)) {
      throw new Error("stand-in: status, retryAfter and appliedFields do not apply to kind 'graphql-error'");
    }
    if (rule.appliedFields !== undefined && rule.kind === 'secondary-rate-limit') {
      throw new Error("stand-in: appliedFields applies to kinds 'status' and 'reset' only");
    }
    if (rule.nth !== undefined && (!Number.isInteger(rule.nth) || rule.nth < 1)) {
      throw new Error(`stand-in: nth is a 1-based position, got ${rule.nth}`);
    }
    this.rules.push({ rule, left: rule.times ?? 1, toSkip: rule.skip ?? 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first matching HTTP-level rule with failures left (consuming one), if any. */
  take(target: FaultTarget): FaultRule | undefined {
    return this.first(target, (rule) => rule.kind !== 'graphql-error');
  }

  /** The first matching 'graphql-error' rule for a top-level field about to run (consuming one), if any. */
  takeField(target: FieldFaultTarget): FaultRule | undefined {
    return this.first(
      target,
      (rule) =>
        rule.kind === 'graphql-error' &&
        (rule.field === undefined || rule.field === target.field) &&
        (rule.nth === undefined || rule.nth === target.position),
    );
  }

  private first(target: FaultTarget, fits: (rule: FaultRule) => boolean): FaultRule | undefined {
    for (const entry of this.rules) {
      const { rule } = entry;
      if (entry.left <= 0) continue;
      if (!fits(rule)) continue;
      if (rule.method && rule.method.toUpperCase() !== target.method.toUpperCase()) continue;
      if (rule.path !== undefined) {
        if (typeof rule.path === 'string' ? rule.path !== target.path : !testRegExp(rule.path, target.path)) continue;
      }
      if (rule.graphql && rule.graphql !== target.graphql) continue;
      if (rule.actor !== undefined && rule.actor !== target.actor) continue;
      if (entry.toSkip > 0) {
        entry.toSkip--;
        continue;
      }
      entry.left--;
      return rule;
    }
    return undefined;
  }
}

function testRegExp(re: RegExp, text: string): boolean {
  re.lastIndex = 0; // a /g or /y RegExp keeps state between calls
  return re.test(text);
}

/** Status, extra headers and body GitHub would answer for an injected failure ('reset' has none). */
export function faultResponse(
  rule: FaultRule,
  requestId: string,
): { status: number; headers: Record<string, string>; body: Record<string, unknown> } | undefined {
  switch (rule.kind) {
    case 'reset':
      return undefined;
    case 'graphql-error':
      throw new Error("stand-in: a 'graphql-error' rule fails a field, not a request");
    case 'secondary-rate-limit':
      return {
        status: 403,
        headers: { 'retry-after': String(rule.retryAfter ?? 1) },
        body: {
          message: `${SECONDARY_RATE_LIMIT_MESSAGE}${requestId}.`,
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
      };
    case 'status': {
      const status = rule.status ?? 500;
      return { status, headers: {}, body: statusBody(status) };
    }
  }
}

/** The GraphQL error a 'graphql-error' rule answers for its field (the field's path is added by graphql-js). */
export function fieldFaultError(rule: FaultRule, requestId: string): { type?: string; message: string } {
  const message =
    rule.message ??
    `Something went wrong while executing your query. Please include \`${requestId.slice(0, 4)}:${requestId.slice(4, 8)}:${requestId.slice(8)}\` when reporting this issue.`;
  const type = rule.type === undefined ? 'INTERNAL' : rule.type;
  return type === null ? { message } : { type, message };
}

function statusBody(status: number): Record<string, unknown> {
  if (status >= 500) return { message: 'Server Error' };
  switch (status) {
    case 401:
      return { message: 'Bad credentials', documentation_url: DOCS, status: '401' };
    case 403:
      return { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' };
    case 404:
      return { message: 'Not Found', documentation_url: DOCS, status: '404' };
    case 409:
      return { message: 'Conflict', documentation_url: DOCS, status: '409' };
    case 422:
      return { message: 'Validation Failed', errors: [], documentation_url: DOCS, status: '422' };
    default:
      return { message: STATUS_CODES[status] ?? 'Error', documentation_url: DOCS, status: String(status) };
  }
}
