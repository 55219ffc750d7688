/**
 * dmctl's transport to dm-master: `POST http://{master-addr}/dm/v1/{Method}` with the request as JSON, the
 * reply is the response JSON (master-api.ts). `--master-addr` may list several masters: on a connection
 * failure the next one is tried (DM's auto-switch), and the one that answered is tried first next time.
 *
 * Invariants: a request goes to a second master only when the first could not be connected to (refused,
 * unresolvable, unreachable), never after it may have been received, so a start-task is never sent twice;
 * every failure is a DM-coded dmctl error naming the address(es), never a stack trace. A non-2xx answer that
 * carries a DM response (`{result, msg, ...}`) is returned like any answer.
 */
import { splitHostPort } from '../config/cluster-addr.js';
import { formatGoDuration } from '../config/go-compat.js';
import { RPC_PREFIX, type MasterMethod, type MasterService } from '../master/master-api.js';
import { DmError } from '../observability/dm-error.js';
import { E } from '../observability/error-catalogue.js';

export type RequestOf<M extends MasterMethod> = Parameters<MasterService[M]>[0];
export type ResponseOf<M extends MasterMethod> = Awaited<ReturnType<MasterService[M]>>;

/** What the commands need from a master connection (a fake in unit tests). */
export interface MasterCaller {
  call<M extends MasterMethod>(method: M, req: RequestOf<M>): Promise<ResponseOf<M>>;
}

/** One master endpoint: the base URL to post to and the address as the user wrote it (for messages). */
export interface MasterEndpoint {
  url: string;
  addr: string;
}

/**
 * Parses `--master-addr`: comma-separated `host:port`, each optionally with `http://` or `https://` (kept;
 * default http). Blanks around items and empty items are ignored; duplicates are dropped.
 */
export function parseMasterAddrs(text: string): MasterEndpoint[] {
  const out: MasterEndpoint[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const m = /^(https?):\/\/(.*?)\/*$/i.exec(item);
    const scheme = m ? m[1]!.toLowerCase() : 'http';
    const hostPort = m ? m[2]! : item.replace(/\/+$/, '');
    if (hostPort.includes('/')) throw DmError.of(E.CtlInvalidMasterAddr, [item, 'a master address is host:port, without a path']);
    let port: string;
    try {
      port = splitHostPort(hostPort).port;
    } catch (e) {
      throw DmError.of(E.CtlInvalidMasterAddr, [item, e instanceof Error ? e.message : String(e)]);
    }
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw DmError.of(E.CtlInvalidMasterAddr, [item, `port '${port}' is not a number from 1 to 65535`]);
    const url = `${scheme}://${hostPort}`;
    if (!out.some((e) => e.url === url)) out.push({ url, addr: hostPort });
  }
  if (out.length === 0) throw DmError.of(E.CtlMasterAddrNotProvided);
  return out;
}

/** Error codes of a failure to connect at all: the request never reached that master, so another may be tried. */
const CONNECT_FAILURE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

/** undici's own timeouts of a request whose answer did not come (headers 300 s, body 300 s). */
const ANSWER_TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

interface FetchFailure {
  code: string;
  text: string;
}

/** The code and text of a fetch failure's cause (`TypeError: fetch failed` wraps the socket error). */
export function describeFetchFailure(e: unknown): FetchFailure {
  const cause: unknown = e instanceof Error && e.cause !== undefined ? e.cause : e;
  const codeOf = (x: unknown): string => (typeof x === 'object' && x !== null && 'code' in x && typeof x.code === 'string' ? x.code : '');
  let code = codeOf(cause);
  let text = cause instanceof Error ? cause.message : String(cause);
  // AggregateError (several addresses of one host name): report the first
  if (cause instanceof AggregateError && cause.errors.length > 0) {
    const first: unknown = cause.errors[0];
    code ||= codeOf(first);
    text = first instanceof Error ? first.message : text;
  }
  if (text === '' || text === 'fetch failed') text = code || 'connection failed';
  return { code, text };
}

function isTimeout(e: unknown): boolean {
  return e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
}

export type FetchFn = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>;

export interface MasterClientOptions {
  rpcTimeoutMs: number;
  /** Replaces global fetch (tests). */
  fetch?: FetchFn;
}

export class MasterClient implements MasterCaller {
  private readonly endpoints: readonly MasterEndpoint[];
  private readonly timeoutMs: number;
  private readonly fetchFn: FetchFn;
  /** The endpoint that answered last; tried first. */
  private preferred = 0;

  constructor(masterAddr: string, opts: MasterClientOptions) {
    this.endpoints = parseMasterAddrs(masterAddr);
    this.timeoutMs = opts.rpcTimeoutMs;
    this.fetchFn = opts.fetch ?? ((url, init) => fetch(url, init));
  }

  get addresses(): string[] {
    return this.endpoints.map((e) => e.addr);
  }

  async call<M extends MasterMethod>(method: M, req: RequestOf<M>): Promise<ResponseOf<M>> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const body = JSON.stringify(req);
    const failures: string[] = [];
    const n = this.endpoints.length;
    for (let k = 0; k < n; k++) {
      const idx = (this.preferred + k) % n;
      const ep = this.endpoints[idx]!;
      let res: { status: number; text(): Promise<string> };
      let text: string;
      try {
        res = await this.fetchFn(`${ep.url}${RPC_PREFIX}${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
        text = await res.text();
      } catch (e) {
        if (isTimeout(e)) throw DmError.of(E.CtlRPCTimeout, [method, ep.addr, formatGoDuration(this.timeoutMs)]);
        const f = describeFetchFailure(e);
        if (ANSWER_TIMEOUT_CODES.has(f.code)) throw DmError.of(E.CtlRPCTimeout, [method, ep.addr, `Node's fetch limit of 300s (${f.code})`]);
        // `bad port`: fetch refuses ports browsers block (1, 25, 6000, ...) before connecting
        if (CONNECT_FAILURE_CODES.has(f.code) || f.text === 'bad port') {
          failures.push(`${ep.addr} (${f.text})`);
          continue;
        }
        throw DmError.of(E.CtlRequestFailed, [method, ep.addr, f.text]);
      }
      this.preferred = idx;
      return decodeAnswer(method, ep.addr, res.status, text) as ResponseOf<M>;
    }
    throw DmError.of(E.CtlGRPCCreateConn, [failures.join(', ')]);
  }
}

/** The DM response in an HTTP answer; a 2xx answer must be a JSON object, a non-2xx one must carry `result`. */
export function decodeAnswer(method: string, addr: string, status: number, text: string): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  const isObject = typeof doc === 'object' && doc !== null && !Array.isArray(doc);
  const ok = status >= 200 && status < 300;
  if (isObject && (ok || typeof (doc as { result?: unknown }).result === 'boolean')) return doc;
  const snippet = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  throw DmError.of(E.CtlBadResponse, [addr, method, status, snippet === '' ? '(empty body)' : snippet]);
}
