import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqlFileReader, UnterminatedStatementError, type Statement } from './sql-file-reader.js';

async function readAll(file: string, chunkSize: number): Promise<Statement[]> {
  const r = new SqlFileReader(file, { chunkSize });
  const out: Statement[] = [];
  try {
    for (;;) {
      const list = await r.next();
      if (!list) return out;
      out.push(...list);
    }
  } finally {
    await r.close();
  }
}

test('statements come with exact byte ranges, also when larger than the read buffer', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dm-ts-reader-'));
  try {
    const big = `INSERT INTO t VALUES ('${'x;'.repeat(5000)}');`;
    const text = Buffer.from(`/*!40101 SET NAMES binary*/;\n${big}\nINSERT INTO \`名字\` VALUES ('é;\\'');\n-- trailing comment\n`, 'utf8');
    const file = path.join(dir, 'a.sql');
    writeFileSync(file, text);
    for (const chunk of [1, 7, 64, 4096, 1 << 20]) {
      const st = await readAll(file, chunk);
      assert.equal(st.length, 3, `chunk ${chunk}`);
      let prev = 0;
      for (const s of st) {
        assert.equal(s.start, prev);
        assert.ok(s.bytes.equals(text.subarray(s.start, s.end)), `chunk ${chunk}: bytes of ${s.start}-${s.end}`);
        prev = s.end;
      }
      assert.equal(st[1]!.bytes.toString('utf8').trim(), big);
    }
    // a final statement without a semicolon
    writeFileSync(file, 'SET a=1;\nINSERT INTO t VALUES (1)\n');
    const st = await readAll(file, 5);
    assert.deepEqual(st.map((s) => [s.start, s.end]), [[0, 8], [8, 34]]);
    // a file that ends inside a string
    writeFileSync(file, "INSERT INTO t VALUES ('abc");
    await assert.rejects(readAll(file, 4), (e: unknown) => e instanceof UnterminatedStatementError && e.offset === 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
