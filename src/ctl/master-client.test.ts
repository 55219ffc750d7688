import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { throwsDm } from '../config/test-support.js';
import { isDmError } from '../observability/dm-error.js';
import { decodeAnswer, describeFetchFailure, MasterClient, parseMasterAddrs, type FetchFn } from './master-client.js';

function connErr(code: string, message: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

function answer(status: number, body: unknown): { status: number; text(): Promise<string> } {
  return { status, text: () => Promise.resolve(typeof body === 'string' ? body : JSON.stringify(body)) };
}

async function rejectsDm(p: Promise<unknown>, code: number, ...parts: string[]): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isDmError(e), `not a DmError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const s of parts) assert.ok(e.message.includes(s), `message lacks ${s}: ${e.message}`);
    return true;
  });
}

test('master-addr: comma-separated host:port, scheme optional, blanks and duplicates dropped', () => {
  assert.deepEqual(parseMasterAddrs('127.0.0.1:8261'), [{ url: 'http://127.0.0.1:8261', addr: '127.0.0.1:8261' }]);
  assert.deepEqual(parseMasterAddrs(' a:1 , http://b:2/,https://c:3,, a:1'), [
    { url: 'http://a:1', addr: 'a:1' },
    { url: 'http://b:2', addr: 'b:2' },
    { url: 'https://c:3', addr: 'c:3' },
  ]);
  assert.deepEqual(parseMasterAddrs('[::1]:8261'), [{ url: 'http://[::1]:8261', addr: '[::1]:8261' }]);
  throwsDm(() => parseMasterAddrs(''), 48101, '--master-addr not provided');
  throwsDm(() => parseMasterAddrs(' , '), 48101);
  throwsDm(() => parseMasterAddrs('a:1,127.0.0.1'), 48102, '127.0.0.1', 'missing port');
  throwsDm(() => parseMasterAddrs('a:http'), 48102, "port 'http'");
  throwsDm(() => parseMasterAddrs('a:99999'), 48102);
  throwsDm(() => parseMasterAddrs('http://a:1/dm'), 48102, 'without a path');
});

test('POSTs the request JSON to /dm/v1/{Method} and returns the answer', async () => {
  const seen: Array<{ url: string; body: string; method: string; type: string | undefined }> = [];
  const fetchFn: FetchFn = (url, init) => {
    seen.push({ url, body: init.body, method: init.method, type: init.headers['content-type'] });
    return Promise.resolve(answer(200, { result: true, msg: '', tasks: [] }));
  };
  const c = new MasterClient('m1:8261', { rpcTimeoutMs: 1000, fetch: fetchFn });
  assert.deepEqual(await c.call('QueryStatus', { name: '', sources: ['s1'] }), { result: true, msg: '', tasks: [] });
  assert.deepEqual(seen, [{ url: 'http://m1:8261/dm/v1/QueryStatus', body: '{"name":"","sources":["s1"]}', method: 'POST', type: 'application/json' }]);
});

test('auto-switch: a refused/unresolvable master is skipped; the one that answered is tried first afterwards', async () => {
  const urls: string[] = [];
  const fetchFn: FetchFn = (url) => {
    urls.push(url);
    if (url.startsWith('http://m1')) return Promise.reject(connErr('ECONNREFUSED', 'connect ECONNREFUSED m1:8261'));
    if (url.startsWith('http://m2')) return Promise.reject(connErr('ENOTFOUND', 'getaddrinfo ENOTFOUND m2'));
    return Promise.resolve(answer(200, { result: true, msg: '' }));
  };
  const c = new MasterClient('m1:8261,m2:8261,m3:8261', { rpcTimeoutMs: 1000, fetch: fetchFn });
  await c.call('ListMember', { leader: true, master: false, worker: false, names: [] });
  await c.call('ListMember', { leader: true, master: false, worker: false, names: [] });
  assert.deepEqual(urls, ['http://m1:8261/dm/v1/ListMember', 'http://m2:8261/dm/v1/ListMember', 'http://m3:8261/dm/v1/ListMember', 'http://m3:8261/dm/v1/ListMember']);
});

test('no master reachable: 48001 naming every address and its cause', async () => {
  const c = new MasterClient('m1:1,m2:2', { rpcTimeoutMs: 1000, fetch: (url) => Promise.reject(connErr('ECONNREFUSED', `connect ECONNREFUSED ${url.slice(7, 11)}`)) });
  await rejectsDm(c.call('QueryStatus', { name: '', sources: [] }), 48001, "can't connect to dm-master m1:1 (connect ECONNREFUSED m1:1), m2:2 (connect ECONNREFUSED m2:2)");
});

test('a broken connection after sending is not retried elsewhere (the request may have been applied)', async () => {
  const urls: string[] = [];
  const c = new MasterClient('m1:1,m2:2', {
    rpcTimeoutMs: 1000,
    fetch: (url) => {
      urls.push(url);
      return Promise.reject(connErr('ECONNRESET', 'read ECONNRESET'));
    },
  });
  await rejectsDm(c.call('StartTask', { task: 'x', sources: [], removeMeta: false }), 48110, 'request StartTask to dm-master m1:1 failed: read ECONNRESET');
  assert.equal(urls.length, 1);
});

test('rpc-timeout: 48104 naming the method, the master and the duration', async () => {
  const c = new MasterClient('m1:1,m2:2', {
    rpcTimeoutMs: 30,
    fetch: (_url, init) =>
      new Promise((_resolve, reject) => {
        // AbortSignal.timeout's timer does not hold the event loop; a real request's socket would
        const hold = setTimeout(() => undefined, 10_000);
        init.signal.addEventListener('abort', () => {
          clearTimeout(hold);
          reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
        });
      }),
  });
  await rejectsDm(c.call('CheckTask', { task: 'x', errCnt: 10, warnCnt: 10 }), 48104, 'request CheckTask to dm-master m1:1 got no answer within 30ms');
});

test('answers: any 2xx JSON object; a non-2xx one only when it is a DM response', () => {
  assert.deepEqual(decodeAnswer('X', 'm:1', 200, '{"result":true,"msg":""}'), { result: true, msg: '' });
  assert.deepEqual(decodeAnswer('X', 'm:1', 500, '{"result":false,"msg":"boom"}'), { result: false, msg: 'boom' });
  throwsDm(() => decodeAnswer('X', 'm:1', 404, '{"statusCode":404,"error":"Not Found"}'), 48105, 'dm-master m:1 answered X with HTTP 404', 'Not Found');
  throwsDm(() => decodeAnswer('X', 'm:1', 200, 'hello'), 48105, 'HTTP 200', 'hello');
  throwsDm(() => decodeAnswer('X', 'm:1', 502, ''), 48105, '(empty body)');
  throwsDm(() => decodeAnswer('X', 'm:1', 200, '[1]'), 48105);
  assert.ok(throwsDm(() => decodeAnswer('X', 'm:1', 200, 'y'.repeat(1000)), 48105).message.length < 800, 'a long body is cut');
});

test('fetch failure causes are described by their socket error', () => {
  assert.deepEqual(describeFetchFailure(connErr('ECONNREFUSED', 'connect ECONNREFUSED 1.2.3.4:5')), { code: 'ECONNREFUSED', text: 'connect ECONNREFUSED 1.2.3.4:5' });
  const agg = new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5'), { code: 'ECONNREFUSED' })]) });
  assert.equal(describeFetchFailure(agg).code, 'ECONNREFUSED');
  assert.deepEqual(describeFetchFailure(new TypeError('fetch failed')), { code: '', text: 'connection failed' });
});

test('over real HTTP: posts to a server, falls back from a closed port, prints non-2xx DM answers', async () => {
  const bodies: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(req.url === '/dm/v1/OfflineMember' ? 400 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/dm/v1/OfflineMember' ? { result: false, msg: 'nope' } : { result: true, msg: '', members: [] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  // a port that was just free: nothing listens there
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  try {
    const c = new MasterClient(`127.0.0.1:${closedPort},http://127.0.0.1:${port}`, { rpcTimeoutMs: 5000 });
    assert.deepEqual(await c.call('ListMember', { leader: false, master: false, worker: true, names: ['w1'] }), { result: true, msg: '', members: [] });
    assert.deepEqual(await c.call('OfflineMember', { type: 'worker', name: 'w1' }), { result: false, msg: 'nope' });
    assert.deepEqual(bodies, ['POST /dm/v1/ListMember {"leader":false,"master":false,"worker":true,"names":["w1"]}', 'POST /dm/v1/OfflineMember {"type":"worker","name":"w1"}']);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
