// Fault injection: rules matched against each request before it is applied.
import { STATUS_CODES } from 'node:http';
import { DOCS } from './model.js';

export interface FaultRule {
  method?: string;
  /** Matched against the URL pathname (exact string, or RegExp test). */
  path?: string | RegExp;
  /** Only GraphQL requests of this operation type. */
  graphql?: 'query' | 'mutation';
  kind: 'status' | 'reset' | 'secondary-rate-limit';
  /** For kind 'status' (default 500). */
  status?: number;
  /** Seconds, for kind 'secondary-rate-limit' (default 1). */
  retryAfter?: number;
  /** How many matching requests fail (default 1; Infinity = until cleared). */
  times?: number;
  /** How many matching requests pass before the failures start (default 0). */
  skip?: number;
  /** Only requests made with this login's token. */
  actor?: string;
}

export interface FaultTarget {
  method: string;
  path: string;
  graphql?: 'query' | 'mutation';
  actor?: string | null;
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
    this.rules.push({ rule, left: rule.times ?? 1, toSkip: rule.skip ?? 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first matching rule with failures left (consuming one), if any. */
  take(target: FaultTarget): FaultRule | undefined {
    for (const entry of this.rules) {
      const { rule } = entry;
      if (entry.left <= 0) continue;
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
