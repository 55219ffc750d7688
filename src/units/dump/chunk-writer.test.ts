import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChunkWriter } from './chunk-writer.js';
import { DATA_FILE_HEADER } from './dump-files.js';
import { textRowPayload as rowPayload } from './raw-query.js';

const columns = [
  { name: 'id', dataType: 'int', charset: null },
  { name: 'v', dataType: 'varchar', charset: 'utf8mb4' },
];

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'dm-ts-chunk-writer-'));
}

/** The INSERT statements of a data file (after the header). */
function statements(text: string): string[] {
  assert.ok(text.startsWith(DATA_FILE_HEADER));
  const body = text.slice(DATA_FILE_HEADER.length);
  assert.ok(body.endsWith(';\n'));
  return body
    .slice(0, -2)
    .split(';\nINSERT')
    .map((s, i) => `${i ? 'INSERT' : ''}${s};\n`);
}

test('statements stay within statement-size, files roll over at file-size, rows keep their order', async () => {
  const dir = tmp();
  try {
    const w = new ChunkWriter({ dir, db: 'd b', table: 't`1', chunkIndex: 3, columns, statementSize: 300, fileSize: 1000, bufferSize: 64 * 1024 });
    const n = 200;
    for (let i = 0; i < n; i++) {
      const p = rowPayload([String(i), `v${'x'.repeat(i % 20)}`]);
      w.addRow(p, 0, p.length);
    }
    await w.finish();
    assert.equal(w.rows, n);
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, w.files);
    assert.ok(files.length > 3);
    assert.equal(files[0], 'd b.t`1.0000000030000.sql');
    assert.equal(files[1], 'd b.t`1.0000000030001.sql');
    const ids: number[] = [];
    let total = 0;
    for (const f of files) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      total += Buffer.byteLength(text);
      // a file ends at the first statement that reaches the size (so it may exceed it by one statement)
      assert.ok(text.length < 1000 + 300 + DATA_FILE_HEADER.length, `${f}: ${text.length}`);
      for (const s of statements(text)) {
        assert.ok(Buffer.byteLength(s) <= 300, `statement of ${Buffer.byteLength(s)} bytes`);
        assert.ok(s.startsWith('INSERT INTO `t``1` (`id`,`v`) VALUES\n('));
        for (const m of s.matchAll(/^\((\d+),'v(x*)'\)[,;]$/gm)) ids.push(Number(m[1]));
        // every line ends in "," or ";" (or is the INSERT line)
        for (const line of s.split('\n').slice(1, -1)) assert.match(line, /[,;]$/);
      }
    }
    assert.deepEqual(ids, Array.from({ length: n }, (_, i) => i));
    assert.equal(w.written, total);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a row wider than statement-size gets a statement of its own; wider than the buffer grows it', async () => {
  const dir = tmp();
  try {
    const w = new ChunkWriter({ dir, db: 'd', table: 't', chunkIndex: 0, columns, statementSize: 100, fileSize: 0, bufferSize: 64 * 1024 });
    const rows = [['1', 'a'], ['2', 'w'.repeat(500)], ['3', 'b'], ['4', 'z'.repeat(200_000)], ['5', 'c']];
    for (const r of rows) {
      const p = rowPayload(r);
      w.addRow(p, 0, p.length);
    }
    await w.finish();
    const text = readFileSync(path.join(dir, 'd.t.0000000000000.sql'), 'utf8');
    const st = statements(text);
    assert.deepEqual(
      st.map((s) => s.split('\n').slice(1).join('\n')),
      ["(1,'a');\n", `(2,'${'w'.repeat(500)}');\n`, "(3,'b');\n", `(4,'${'z'.repeat(200_000)}');\n`, "(5,'c');\n"],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no rows, no file', async () => {
  const dir = tmp();
  try {
    const w = new ChunkWriter({ dir, db: 'd', table: 't', chunkIndex: 0, columns, statementSize: 100, fileSize: 0 });
    await w.finish();
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('backpressure: pressure is raised above maxPendingBytes and released after the writes', async () => {
  const dir = tmp();
  try {
    const events: boolean[] = [];
    const w = new ChunkWriter({ dir, db: 'd', table: 't', chunkIndex: 0, columns, statementSize: 1 << 20, fileSize: 0, bufferSize: 64 * 1024, maxPendingBytes: 128 * 1024, onPressure: (h) => events.push(h) });
    const p = rowPayload(['1', 'x'.repeat(1000)]);
    for (let i = 0; i < 2000; i++) w.addRow(p, 0, p.length);
    assert.equal(events[0], true);
    await w.finish();
    assert.equal(events.at(-1), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
