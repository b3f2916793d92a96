// The HTTP front: authentication, fault injection, the request log, rate-limit headers, then REST or GraphQL.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { faultResponse, type Faults } from './faults.js';
import { analyse, executeGraphql, type AnalysedRequest, type GraphqlInfo } from './graphql.js';
import { DOCS, StandInError, type User } from './model.js';
import { handleRest } from './rest.js';
import type { World } from './state.js';

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  /** HTTP status answered; 0 for a connection reset by a fault. */
  status: number;
  /** Login of the token's user; null when the token is missing or unknown. */
  actor: string | null;
  graphql?: GraphqlInfo;
  /** Any non-GET REST request, or a GraphQL mutation. */
  write: boolean;
  at: Date;
}

export interface ServerDeps {
  world: World;
  faults: Faults;
  log: { requests: RequestLogEntry[] };
}

const RATE_LIMIT = 5000;

class RateCounter {
  private used = 0;
  private reset: number;
  constructor(private readonly now: () => Date) {
    this.reset = Math.floor(now().getTime() / 1000) + 3600;
  }
  /** Headers for one more request; a new window starts before `remaining` would reach zero. */
  next(resource: string): Record<string, string> {
    if (this.used >= RATE_LIMIT - 1) {
      this.used = 0;
      this.reset = Math.max(this.reset + 3600, Math.floor(this.now().getTime() / 1000) + 3600);
    }
    this.used++;
    return {
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(RATE_LIMIT - this.used),
      'x-ratelimit-reset': String(this.reset),
      'x-ratelimit-used': String(this.used),
      'x-ratelimit-resource': resource,
    };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function tokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1];
}

export async function startServer(deps: ServerDeps): Promise<{ server: Server; url: string }> {
  const { world, faults, log } = deps;
  const rates = { core: new RateCounter(world.now), graphql: new RateCounter(world.now) };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    const token = tokenOf(req);
    const actor: User | undefined = token ? world.tokens.get(token) : undefined;
    const isGraphql = method === 'POST' && path === '/graphql';

    let parsed: unknown;
    let badJson = false;
    if (raw.trim()) {
      try {
        parsed = JSON.parse(raw);
      } catch {
        badJson = true;
      }
    }
    const gql: AnalysedRequest | undefined = isGraphql && !badJson ? analyse(parsed) : undefined;
    const entry: RequestLogEntry = {
      method,
      path,
      query,
      status: 0,
      actor: actor?.login ?? null,
      write: isGraphql ? gql?.info.operation === 'mutation' : method !== 'GET' && method !== 'HEAD',
      at: world.now(),
    };
    if (gql) entry.graphql = gql.info;
    log.requests.push(entry);

    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-github-media-type': 'github.v3; format=json',
        'x-github-api-version-selected': '2022-11-28',
        'x-github-request-id': requestId,
        ...rates[isGraphql ? 'graphql' : 'core'].next(isGraphql ? 'graphql' : 'core'),
        ...headers,
      });
      res.end(status === 204 || body === undefined ? undefined : JSON.stringify(body));
    };

    const rule = faults.take({ method, path, graphql: gql?.info.operation, actor: actor?.login ?? null });
    if (rule) {
      // GitHub failing part-way through a document: its first `appliedFields` top-level fields ran and stay applied.
      if (rule.appliedFields && gql && actor) {
        executeGraphql(world, actor, gql, { faults, request: { method, path, requestId }, stopAfter: rule.appliedFields });
      }
      const answer = faultResponse(rule, requestId);
      if (!answer) {
        entry.status = 0;
        req.socket.destroy();
        return;
      }
      send(answer.status, answer.body, answer.headers);
      return;
    }
    if (!actor) {
      send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
      return;
    }
    if (badJson) {
      send(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
      return;
    }
    try {
      if (gql) {
        send(200, executeGraphql(world, actor, gql, { faults, request: { method, path, requestId } }));
        return;
      }
      const answer = handleRest({ method, path, query, body: parsed, actor, world });
      send(answer.status, answer.body, answer.headers);
    } catch (err) {
      if (err instanceof StandInError) {
        send(err.status, err.body);
        return;
      }
      console.error('[github-standin] internal error', err);
      send(500, { message: 'Server Error', standin_error: String((err as Error)?.stack ?? err) });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('[github-standin] internal error', err);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: 'Server Error' }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}
