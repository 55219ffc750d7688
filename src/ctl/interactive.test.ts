import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { PROMPT, runInteractive, splitCommandLine } from './interactive.js';

test('command lines split on blanks, with simple quoting', () => {
  assert.deepEqual(splitCommandLine('  query-status   task1  '), ['query-status', 'task1']);
  assert.deepEqual(splitCommandLine(`binlog replace t "ALTER TABLE t ADD c INT; ALTER TABLE t ADD d INT"`), ['binlog', 'replace', 't', 'ALTER TABLE t ADD c INT; ALTER TABLE t ADD d INT']);
  assert.deepEqual(splitCommandLine(`handle-error t replace 'alter table t comment "x y"'`), ['handle-error', 't', 'replace', 'alter table t comment "x y"']);
  assert.deepEqual(splitCommandLine(`a "x \\"q\\" \\\\" 'it''s' b\\ c`), ['a', 'x "q" \\', 'its', 'b c']);
  assert.deepEqual(splitCommandLine(`--x="a b" "" ''`), ['--x=a b', '', '']);
  assert.deepEqual(splitCommandLine(''), []);
  assert.deepEqual(splitCommandLine('\t '), []);
  assert.throws(() => splitCommandLine(`a "b`), /unterminated double quote/);
  assert.throws(() => splitCommandLine(`a 'b`), /unterminated single quote/);
});

async function session(lines: string, run: (args: string[]) => Promise<number>): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  await runInteractive({ input: Readable.from([lines]), output: { out: (t) => void (out += t), err: (t) => void (err += t) }, banner: 'Welcome to dmctl\n', run });
  return { out, err };
}

test('interactive: banner, prompt, one command per line in order, blanks ignored, exit leaves', async () => {
  const ran: string[][] = [];
  const r = await session('  query-status t1  \n\n   \nlist-member -w\nexit\nquery-status never\n', async (args) => {
    await new Promise((res) => setTimeout(res, 5));
    ran.push(args);
    return 1; // a failing command does not end the session
  });
  assert.deepEqual(ran, [['query-status', 't1'], ['list-member', '-w']]);
  assert.equal(r.out, `Welcome to dmctl\n${PROMPT.repeat(5)}`);
});

test('interactive: quit and end of input leave; a bad quote is reported and the session goes on', async () => {
  const ran: string[][] = [];
  const r = await session(`query-status "x\nquery-status y\n`, (args) => {
    ran.push(args);
    return Promise.resolve(0);
  });
  assert.deepEqual(ran, [['query-status', 'y']]);
  assert.match(r.err, /^Error: unterminated double quote\n$/);
  assert.ok(r.out.endsWith(`${PROMPT}\n`));
  const q: string[][] = [];
  await session('quit\nlist-member\n', (a) => {
    q.push(a);
    return Promise.resolve(0);
  });
  assert.deepEqual(q, []);
});
