import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { decryptPassword } from '../config/password-crypto.js';
import { legacyCryptoArgs, runDmctl } from './ctl-program.js';
import { captureIO, memFiles } from './ctl-test-support.js';
import type { FetchFn } from './master-client.js';

interface Sent {
  url: string;
  body: unknown;
}

/** A fetch answering `reply(method, body)` (default: `{result: true, msg: ''}`), recording every request. */
function fakeFetch(reply: (method: string, body: unknown) => { status?: number; body: unknown } = () => ({ body: { result: true, msg: '' } })): FetchFn & { sent: Sent[] } {
  const sent: Sent[] = [];
  const f = (url: string, init: { body: string }): Promise<{ status: number; text(): Promise<string> }> => {
    const body: unknown = JSON.parse(init.body);
    sent.push({ url, body });
    const r = reply(url.slice(url.lastIndexOf('/') + 1), body);
    return Promise.resolve({ status: r.status ?? 200, text: () => Promise.resolve(JSON.stringify(r.body)) });
  };
  return Object.assign(f, { sent });
}

async function run(argv: string[], opts: { fetch?: FetchFn; env?: Record<string, string>; files?: ReturnType<typeof memFiles>; input?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO();
  const code = await runDmctl(argv, {
    io,
    env: opts.env ?? {},
    files: opts.files ?? memFiles(),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.input !== undefined ? { input: Readable.from([opts.input]) } : {}),
  });
  return { code, out: io.stdout(), err: io.stderr() };
}

test('prints the answer as DM does (4-space JSON) and exits 0, also for result false', async () => {
  const f = fakeFetch(() => ({ body: { result: false, msg: 'task t9 not exist', sources: [] } }));
  const r = await run(['--master-addr', 'm:8261', 'stop-task', 't9'], { fetch: f });
  assert.equal(r.code, 0);
  assert.equal(r.out, '{\n    "result": false,\n    "msg": "task t9 not exist",\n    "sources": []\n}\n');
  assert.equal(r.err, '');
  assert.deepEqual(f.sent, [{ url: 'http://m:8261/dm/v1/OperateTask', body: { op: 'Stop', name: 't9', sources: [] } }]);
});

test('a non-2xx DM answer is printed like any answer', async () => {
  const f = fakeFetch(() => ({ status: 500, body: { result: false, msg: 'not leader' } }));
  const r = await run(['query-status', '--master-addr=m:1'], { fetch: f });
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.out), { result: false, msg: 'not leader' });
});

test('--master-addr and -s anywhere; DM_MASTER_ADDR when no flag', async () => {
  const f = fakeFetch();
  await run(['-s', 's1', 'pause-task', 't1', '--master-addr', 'a:1', '--source', 's2,s3'], { fetch: f });
  await run(['resume-task', '-s', 's1'], { fetch: f, env: { DM_MASTER_ADDR: 'env:2' } });
  await run(['binlog', 'skip', 't1', '-s', 's9', '-b', 'f.000001:4', '--master-addr', 'a:1'], { fetch: f });
  assert.deepEqual(f.sent, [
    { url: 'http://a:1/dm/v1/OperateTask', body: { op: 'Pause', name: 't1', sources: ['s1', 's2', 's3'] } },
    { url: 'http://env:2/dm/v1/OperateTask', body: { op: 'Resume', name: '', sources: ['s1'] } },
    { url: 'http://a:1/dm/v1/HandleError', body: { op: 'skip', task: 't1', sources: ['s9'], binlogPos: 'f.000001:4', sqls: [] } },
  ]);
});

test('every master command sends its method', async () => {
  const files = memFiles({ 'task.yaml': 'name: t1\n', 'source.yaml': 'source-id: s1\n', 's.sql': 'CREATE TABLE t (a INT)' });
  const f = fakeFetch((method) => ({ body: method === 'GetCfg' ? { result: true, msg: '', cfg: '' } : { result: true, msg: '', sources: [], tasks: [] } }));
  const cmds = [
    ['operate-source', 'create', 'source.yaml'],
    ['start-task', 'task.yaml', '--remove-meta'],
    ['stop-task', 'task.yaml'],
    ['query-status', 't1'],
    ['check-task', 'task.yaml', '-e', '3', '-w', '4'],
    ['get-config', 'task', 't1'],
    ['config', 'task', 't1'],
    ['list-member', '-l'],
    ['offline-member', '--worker', '--name', 'w1'],
    ['transfer-source', 's1', 'w2'],
    ['handle-error', 't1', 'skip'],
    ['binlog', 'list', 't1'],
    ['binlog-schema', 'update', 't1', 'db', 'tb', 's.sql', '--flush=false'],
    ['operate-schema', 'get', '-s', 's1', 't1', '-d', 'db', '-t', 'tb'],
  ];
  for (const c of cmds) {
    const r = await run(['--master-addr', 'm:1', ...c], { fetch: f, files });
    assert.equal(r.code, 0, `${c.join(' ')}: ${r.err}`);
  }
  assert.deepEqual(
    f.sent.map((s) => s.url.slice('http://m:1/dm/v1/'.length)),
    ['OperateSource', 'StartTask', 'OperateTask', 'QueryStatus', 'CheckTask', 'GetCfg', 'GetCfg', 'ListMember', 'OfflineMember', 'TransferSource', 'HandleError', 'HandleError', 'OperateSchema', 'OperateSchema'],
  );
  assert.deepEqual(f.sent[1]?.body, { task: 'name: t1\n', sources: [], removeMeta: true });
  assert.deepEqual(f.sent[4]?.body, { task: 'name: t1\n', errCnt: 3, warnCnt: 4 });
  assert.equal((f.sent[12]?.body as { flush: boolean }).flush, false);
});

test('usage errors: message and the command help on stderr, exit 1, nothing sent', async () => {
  const f = fakeFetch();
  const r = await run(['--master-addr', 'm:1', 'offline-member', '--name', 'w1'], { fetch: f });
  assert.equal(r.code, 1);
  assert.match(r.err, /^error: give the member type: --master or --worker\n/);
  assert.match(r.err, /Usage: dmctl offline-member/);
  assert.equal(r.out, '');
  const u = await run(['--master-addr', 'm:1', 'no-such-command'], { fetch: f });
  assert.equal(u.code, 1);
  assert.match(u.err, /unknown command 'no-such-command'/);
  const o = await run(['--master-addr', 'm:1', 'query-status', '--bogus'], { fetch: f });
  assert.equal(o.code, 1);
  assert.match(o.err, /unknown option '--bogus'/);
  assert.equal(f.sent.length, 0);
});

test('failures are one coded line on stderr, exit 1', async () => {
  const noAddr = await run(['query-status']);
  assert.equal(noAddr.code, 1);
  assert.match(noAddr.err, /^Error: \[code=48101:class=dmctl:scope=internal:level=medium\] --master-addr not provided, Workaround: .*DM_MASTER_ADDR/);
  const badTimeout = await run(['--rpc-timeout', '10', 'encrypt', 'x']);
  assert.equal(badTimeout.code, 1);
  assert.match(badTimeout.err, /code=48103/);
  const missingFile = await run(['--master-addr', 'm:1', 'start-task', 'nope.yaml'], { fetch: fakeFetch() });
  assert.equal(missingFile.code, 1);
  assert.match(missingFile.err, /^Error: \[code=20018.*nope\.yaml: no such file or directory/);
  const refused: FetchFn = () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8261'), { code: 'ECONNREFUSED' }) }));
  const down = await run(['--master-addr', '127.0.0.1:8261', 'list-member'], { fetch: refused });
  assert.equal(down.code, 1);
  assert.match(down.err, /^Error: \[code=48001:.*\] can't connect to dm-master 127\.0\.0\.1:8261 \(connect ECONNREFUSED 127\.0\.0\.1:8261\)/);
  assert.ok(!down.err.includes('    at '), 'no stack trace');
});

test('-V, --help, help <command>, and no command without a master: help', async () => {
  const v = await run(['-V']);
  assert.equal(v.code, 0);
  assert.match(v.out, /^Release Version: v\d+\.\d+\.\d+.*\nGit Commit Hash: .*\nGit Branch: .*\nUTC Build Time: .*\n/);
  const h = await run(['--help']);
  assert.equal(h.code, 0);
  for (const c of ['operate-source', 'start-task', 'stop-task', 'pause-task', 'resume-task', 'query-status', 'check-task', 'config', 'list-member', 'offline-member', 'transfer-source', 'binlog', 'binlog-schema', 'encrypt', 'decrypt']) {
    assert.ok(h.out.includes(`  ${c} `), `help lists ${c}`);
  }
  const sub = await run(['help', 'check-task']);
  assert.equal(sub.code, 0);
  assert.match(sub.out, /-e, --error <count>/);
  const sub2 = await run(['binlog-schema', 'update', '--help']);
  assert.match(sub2.out, /--from-source/);
  const none = await run([]);
  assert.equal(none.code, 0);
  assert.match(none.out, /^Usage: dmctl/);
});

test('interactive mode: banner, prompt, commands share the connection, errors do not end it', async () => {
  const f = fakeFetch((m) => ({ body: { result: true, msg: m } }));
  const r = await run(['--master-addr', 'm:1'], { fetch: f, input: 'list-member -w\noffline-member\n  query-status "t 1"  \nexit\n' });
  assert.equal(r.code, 0);
  assert.match(r.out, /^Welcome to dmctl\nRelease Version: /);
  assert.ok(r.out.includes('» '));
  assert.match(r.err, /error: give the member type/);
  assert.deepEqual(
    f.sent.map((s) => s.body),
    [
      { leader: false, master: false, worker: true, names: [] },
      { name: 't 1', sources: [] },
    ],
  );
});

test("DM's hidden --encrypt/--decrypt flags are the commands", () => {
  assert.deepEqual(legacyCryptoArgs(['--encrypt', 'abc']), ['encrypt', 'abc']);
  assert.deepEqual(legacyCryptoArgs(['--decrypt=xyz']), ['decrypt', 'xyz']);
  assert.deepEqual(legacyCryptoArgs(['query-status']), ['query-status']);
});

const DMCTL = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'dmctl.js');

function spawnDmctl(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [DMCTL, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

test('the dmctl binary: encrypt/decrypt offline, a closed port is a coded error with exit 1', async () => {
  const enc = await spawnDmctl(['encrypt', 'secret!']);
  assert.equal(enc.code, 0, enc.err);
  assert.equal(decryptPassword(enc.out.trim()), 'secret!');
  const dec = await spawnDmctl(['--decrypt', enc.out.trim()]);
  assert.equal(dec.out, 'secret!\n');
  const down = await spawnDmctl(['query-status', '--master-addr', '127.0.0.1:9'], {});
  assert.equal(down.code, 1);
  assert.match(down.err, /^Error: \[code=48001:class=dmctl:scope=internal:level=high\] can't connect to dm-master 127\.0\.0\.1:9 /);
  assert.equal(down.out, '');
});

test('the dmctl binary: --config file and get-config --file on disk', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dmctl-'));
  const cfg = path.join(dir, 'dmctl.toml');
  writeFileSync(cfg, 'master-addr = "127.0.0.1:9"\nrpc-timeout = "5s"\n');
  const r = await spawnDmctl(['--config', cfg, 'list-member']);
  assert.equal(r.code, 1);
  assert.match(r.err, /127\.0\.0\.1:9/);
  // get-config --file writes through the real file system
  const out = path.join(dir, 'sub', 't1.yaml');
  const io = captureIO();
  const code = await runDmctl(['--master-addr', 'm:1', 'get-config', 'task', 't1', '-f', out], { io, env: {}, fetch: fakeFetch(() => ({ body: { result: true, msg: '', cfg: 'name: t1\n' } })) });
  assert.equal(code, 0, io.stderr());
  assert.equal(readFileSync(out, 'utf8'), 'name: t1\n');
  assert.match(io.stdout(), /"msg": "write config to file .*t1\.yaml succeed"/);
});
