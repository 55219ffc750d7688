import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRecord, scanRecords } from './wal-record.js';

const log = (...payloads: unknown[]): Buffer => Buffer.concat([Buffer.from('DMMSWAL1'), ...payloads.map(encodeRecord)]);

describe('wal records', () => {
  it('round-trips records and reports a clean end', () => {
    const buf = log({ r: 1 }, { r: 2, s: 'é' });
    const scan = scanRecords(buf, 8, 1 << 20);
    assert.equal(scan.state, 'clean');
    assert.deepEqual(scan.records.map((r) => r.payload), [{ r: 1 }, { r: 2, s: 'é' }]);
    assert.equal(scan.goodEnd, buf.length);
  });

  it('calls a damaged last record a torn tail, at any byte', () => {
    const good = log({ r: 1 });
    const buf = log({ r: 1 }, { r: 2, pad: 'xxxxxxxx' });
    for (let i = good.length; i < buf.length; i++) {
      const b = Buffer.from(buf);
      b[i] = b[i]! ^ 0x01;
      const scan = scanRecords(b, 8, 1 << 20);
      assert.equal(scan.state, 'torn', `byte ${i}`);
      assert.equal(scan.goodEnd, good.length);
    }
    for (let cut = good.length + 1; cut < buf.length; cut++) assert.equal(scanRecords(buf.subarray(0, cut), 8, 1 << 20).state, 'torn');
  });

  it('calls damage followed by a valid record corruption', () => {
    const buf = log({ r: 1 }, { r: 2 }, { r: 3 });
    buf[12] = buf[12]! ^ 0x01; // the first record's CRC
    const scan = scanRecords(buf, 8, 1 << 20);
    assert.equal(scan.state, 'corrupt');
    assert.equal(scan.goodEnd, 8);
  });

  it('refuses records larger than the limit', () => {
    assert.equal(scanRecords(log({ big: 'x'.repeat(100) }), 8, 50).state, 'torn');
  });
});
