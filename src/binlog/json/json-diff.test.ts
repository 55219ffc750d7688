/**
 * Tests for JSON diffs (PARTIAL_UPDATE_ROWS_EVENT): wire parsing, path parsing, MySQL's application
 * rules. The real-binlog check (MySQL 8.0.22 partial updates) is in json-binary.test.ts, next to the
 * fixture event walker.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DmError } from '../../observability/dm-error.js';
import { jsonValueToText, parseJsonBinary, serializeJsonBinary } from './json-binary.js';
import { JsonDiffError, applyJsonDiffBytes, applyJsonDiffs, parseJsonDiffs, parseJsonPath, type JsonDiff } from './json-diff.js';
import { JSON_NULL, JSON_TRUE, jsonArray, jsonDouble, jsonInt, jsonObject, jsonObjectSorted, jsonString, type JsonValue } from './json-value.js';

const obj = (...kv: [string, JsonValue][]): JsonValue => jsonObject(kv.map(([key, value]) => ({ key, value })));
const arr = (...items: JsonValue[]): JsonValue => jsonArray(items);
const int = (n: number): JsonValue => jsonInt(n);
const str = (s: string): JsonValue => jsonString(s);

/** Length-encoded length as the protocol writes it. */
function lenenc(n: number): Buffer {
  if (n < 0xfb) return Buffer.of(n);
  if (n <= 0xffff) return Buffer.of(0xfc, n & 0xff, n >> 8);
  return Buffer.of(0xfd, n & 0xff, (n >> 8) & 0xff, n >> 16);
}

/** A diff vector in the wire format, built from diffs. */
function diffBytes(...diffs: JsonDiff[]): Buffer {
  const parts: Buffer[] = [];
  for (const d of diffs) {
    const p = Buffer.from(d.path, 'utf8');
    parts.push(Buffer.of(d.operation === 'REPLACE' ? 0 : d.operation === 'INSERT' ? 1 : 2), lenenc(p.length), p);
    if (d.operation !== 'REMOVE') {
      const v = serializeJsonBinary(d.value);
      parts.push(lenenc(v.length), v);
    }
  }
  return Buffer.concat(parts);
}

const replace = (path: string, value: JsonValue): JsonDiff => ({ operation: 'REPLACE', path, value });
const insert = (path: string, value: JsonValue): JsonDiff => ({ operation: 'INSERT', path, value });
const remove = (path: string): JsonDiff => ({ operation: 'REMOVE', path });

void describe('parseJsonDiffs', () => {
  void test('hand-assembled vector: REPLACE, INSERT, REMOVE', () => {
    const buf = Buffer.from(
      [
        '00 05 242e616765 03 051a00', // REPLACE $.age 26 (as MySQL 8.0.22 writes it)
        '01 07 24 5b 31 5d 5b 30 5d 03 0c0178', // INSERT $[1][0] "x"
        '02 07 242e2261206222', // REMOVE $."a b"
      ]
        .join('')
        .replace(/\s+/g, ''),
      'hex',
    );
    assert.deepEqual(parseJsonDiffs(buf), [replace('$.age', int(26)), insert('$[1][0]', str('x')), remove('$."a b"')]);
  });

  void test('empty vector', () => {
    assert.deepEqual(parseJsonDiffs(Buffer.alloc(0)), []);
  });

  void test('2- and 3-byte lengths', () => {
    const long = 'k'.repeat(300);
    const bigValue = str('v'.repeat(70000));
    const diffs = [replace(`$.${long}`, bigValue), remove('$[0]')];
    const buf = diffBytes(...diffs);
    assert.equal(buf[1], 0xfc);
    assert.deepEqual(parseJsonDiffs(buf), diffs);
  });

  void test('corrupt vectors are JsonDiffErrors with an offset', () => {
    const diffs = [replace('$.a', arr(int(1), str('xyz'))), insert('$.b', JSON_TRUE), remove('$[2]')];
    const good = diffBytes(...diffs);
    // a cut between two diffs leaves a valid, shorter vector
    const boundaries = new Set(diffs.map((_, i) => diffBytes(...diffs.slice(0, i + 1)).length));
    for (let n = 1; n < good.length; n++) {
      if (boundaries.has(n)) {
        assert.equal(parseJsonDiffs(good.subarray(0, n)).length, diffs.findIndex((_, i) => diffBytes(...diffs.slice(0, i + 1)).length === n) + 1);
        continue;
      }
      assert.throws(
        () => parseJsonDiffs(good.subarray(0, n)),
        (e: unknown) => e instanceof JsonDiffError && e.code === 11054 && typeof e.offset === 'number' && /at offset \d+/.test(e.message),
        `truncated to ${n}`,
      );
    }
    const bad = (h: string, re: RegExp): void => {
      assert.throws(() => parseJsonDiffs(Buffer.from(h.replace(/\s+/g, ''), 'hex')), (e: unknown) => e instanceof JsonDiffError && re.test(e.message));
    };
    bad('03 01 24', /unknown operation 3 at offset 0/);
    bad('02 fb', /invalid length prefix 0xfb at offset 1/);
    bad('02 ff', /invalid length prefix 0xff at offset 1/);
    bad('02 03 242e2a', /wildcards are not supported at offset 1/);
    bad('02 01 61', /expected '\$'/);
    bad('00 01 24 02 0d00', /unknown value type 0xd at offset 4/);
    bad('00 03 242e61 02 0c05', /value of REPLACE \$\.a: value truncated/);
  });
});

void describe('parseJsonPath', () => {
  const ok: [string, ReturnType<typeof parseJsonPath>][] = [
    ['$', []],
    [' $ ', []],
    ['$.a', [{ kind: 'member', name: 'a' }]],
    ['$.name_1$', [{ kind: 'member', name: 'name_1$' }]],
    ['$."a b"', [{ kind: 'member', name: 'a b' }]],
    ['$."a\\"b\\\\c.d[0]"', [{ kind: 'member', name: 'a"b\\c.d[0]' }]],
    ['$."\\u00e9"', [{ kind: 'member', name: 'é' }]],
    ['$.é', [{ kind: 'member', name: 'é' }]],
    ['$[0]', [{ kind: 'cell', index: 0, fromEnd: false }]],
    ['$[ 12 ]', [{ kind: 'cell', index: 12, fromEnd: false }]],
    ['$[last]', [{ kind: 'cell', index: 0, fromEnd: true }]],
    ['$[last - 2]', [{ kind: 'cell', index: 2, fromEnd: true }]],
    [
      '$.a[2]."b c"[0].d',
      [
        { kind: 'member', name: 'a' },
        { kind: 'cell', index: 2, fromEnd: false },
        { kind: 'member', name: 'b c' },
        { kind: 'cell', index: 0, fromEnd: false },
        { kind: 'member', name: 'd' },
      ],
    ],
  ];
  for (const [p, legs] of ok) void test(`parses ${p}`, () => assert.deepEqual(parseJsonPath(p), legs));

  for (const p of ['', 'a', '$.', '$.*', '$[*]', '$**.a', '$[1 to 2]', '$[', '$[a]', '$."unterminated', '$."bad\\x"', '$ x', '$[99999999999]']) {
    void test(`rejects ${JSON.stringify(p)}`, () => assert.throws(() => parseJsonPath(p), JsonDiffError));
  }
});

void describe('applyJsonDiffs', () => {
  const doc = jsonObjectSorted([
    { key: 'a', value: int(1) },
    { key: 'c', value: arr(int(10), int(20), int(30)) },
    { key: 'ddd', value: obj(['x', JSON_NULL]) },
  ]);
  const apply = (...diffs: JsonDiff[]): string => jsonValueToText(applyJsonDiffs(doc, diffs));

  void test('REPLACE a member, an element, a nested value', () => {
    assert.equal(apply(replace('$.a', str('one'))), '{"a": "one", "c": [10, 20, 30], "ddd": {"x": null}}');
    assert.equal(apply(replace('$.c[1]', jsonDouble(2.5))), '{"a": 1, "c": [10, 2.5, 30], "ddd": {"x": null}}');
    assert.equal(apply(replace('$.c[last]', int(0))), '{"a": 1, "c": [10, 20, 0], "ddd": {"x": null}}');
    assert.equal(apply(replace('$.ddd.x', arr())), '{"a": 1, "c": [10, 20, 30], "ddd": {"x": []}}');
    assert.equal(apply(replace('$."ddd"', obj())), '{"a": 1, "c": [10, 20, 30], "ddd": {}}');
  });

  void test('INSERT a member goes to MySQL key order', () => {
    assert.equal(apply(insert('$.bb', JSON_TRUE)), '{"a": 1, "c": [10, 20, 30], "bb": true, "ddd": {"x": null}}');
    assert.equal(apply(insert('$.b', JSON_TRUE)), '{"a": 1, "b": true, "c": [10, 20, 30], "ddd": {"x": null}}');
    assert.equal(apply(insert('$.eeee', JSON_TRUE)), '{"a": 1, "c": [10, 20, 30], "ddd": {"x": null}, "eeee": true}');
    assert.equal(apply(insert('$.ddd.w', int(0))), '{"a": 1, "c": [10, 20, 30], "ddd": {"w": 0, "x": null}}');
  });

  void test('INSERT into an array lands at min(index, size), or counted from the end', () => {
    assert.equal(apply(insert('$.c[0]', int(5))), '{"a": 1, "c": [5, 10, 20, 30], "ddd": {"x": null}}');
    assert.equal(apply(insert('$.c[2]', int(25))), '{"a": 1, "c": [10, 20, 25, 30], "ddd": {"x": null}}');
    assert.equal(apply(insert('$.c[3]', int(40))), '{"a": 1, "c": [10, 20, 30, 40], "ddd": {"x": null}}');
    assert.equal(apply(insert('$.c[100]', int(40))), '{"a": 1, "c": [10, 20, 30, 40], "ddd": {"x": null}}');
    assert.equal(apply(insert('$.c[last]', int(25))), '{"a": 1, "c": [10, 20, 25, 30], "ddd": {"x": null}}');
    assert.equal(apply(insert('$.c[last-9]', int(0))), '{"a": 1, "c": [0, 10, 20, 30], "ddd": {"x": null}}');
  });

  void test('REMOVE a member or an element', () => {
    assert.equal(apply(remove('$.a')), '{"c": [10, 20, 30], "ddd": {"x": null}}');
    assert.equal(apply(remove('$.c[0]')), '{"a": 1, "c": [20, 30], "ddd": {"x": null}}');
    assert.equal(apply(remove('$.c[last]')), '{"a": 1, "c": [10, 20], "ddd": {"x": null}}');
    assert.equal(apply(remove('$.ddd.x')), '{"a": 1, "c": [10, 20, 30], "ddd": {}}');
  });

  void test('several diffs apply in order', () => {
    assert.equal(
      apply(replace('$.a', int(2)), insert('$.c[3]', obj(['k', str('v')])), replace('$.c[3].k', str('w')), remove('$.c[0]'), remove('$.ddd')),
      '{"a": 2, "c": [20, 30, {"k": "w"}]}',
    );
  });

  void test('the input value is not modified', () => {
    const before = jsonValueToText(doc);
    applyJsonDiffs(doc, [replace('$.c[0]', int(0)), insert('$.b', int(0)), remove('$.ddd.x')]);
    assert.equal(jsonValueToText(doc), before);
  });

  void test('diffs MySQL would reject are errors', () => {
    const rejects: [JsonDiff, RegExp][] = [
      [replace('$', int(1)), /root/],
      [remove('$'), /root/],
      [replace('$.nope', int(1)), /member "nope" not found/],
      [replace('$.nope.deeper', int(1)), /member "nope" not found/],
      [insert('$.a', int(1)), /member "a" already exists/],
      [remove('$.nope', ), /not found/],
      [replace('$.c[3]', int(1)), /out of range/],
      [remove('$.c[last-3]'), /out of range/],
      [replace('$[0]', int(1)), /array index applied to an object/],
      [replace('$.c.x', int(1)), /member name applied to an array/],
      [replace('$.a.x', int(1)), /applied to a int value/],
      [replace('$.a[0]', int(1)), /applied to a int value/], // no auto-wrapping
      [insert('$.nope.x', int(1)), /not found/],
    ];
    for (const [diff, re] of rejects) {
      assert.throws(
        () => applyJsonDiffs(doc, [diff]),
        (e: unknown) => e instanceof JsonDiffError && e.code === 11054 && re.test(e.message),
        `${diff.operation} ${diff.path}`,
      );
    }
  });
});

void describe('applyJsonDiffBytes', () => {
  const before = serializeJsonBinary(jsonObjectSorted([{ key: 'age', value: int(24) }, { key: 'name', value: str('Joe') }, { key: 'tags', value: arr(str('a')) }]));

  void test('applies the wire diffs to the binary before-image and prints the after-image', () => {
    const diffs = diffBytes(replace('$.age', int(25)), insert('$.tags[1]', str('b')), insert('$.zip', str('12345')), remove('$.name'));
    assert.equal(applyJsonDiffBytes(before, diffs), '{"age": 25, "zip": "12345", "tags": ["a", "b"]}');
  });

  void test('no diffs: the before-image unchanged', () => {
    assert.equal(applyJsonDiffBytes(before, Buffer.alloc(0)), '{"age": 24, "name": "Joe", "tags": ["a"]}');
  });

  void test('a missing before-image is the "not enough columns logged" error', () => {
    assert.throws(
      () => applyJsonDiffBytes(null, diffBytes(replace('$.age', int(25)))),
      (e: unknown) => e instanceof DmError && e.code === 11126 && /binlog_row_image/.test(e.message),
    );
  });

  void test('an empty before-image is JSON null, to which no diff applies', () => {
    assert.deepEqual(parseJsonBinary(Buffer.alloc(0)), JSON_NULL);
    assert.throws(() => applyJsonDiffBytes(Buffer.alloc(0), diffBytes(replace('$.a', int(1)))), JsonDiffError);
  });

  void test('large documents: diff values and before-images in the large format', () => {
    const big = str('x'.repeat(70000));
    const b = serializeJsonBinary(obj(['a', big], ['b', arr(int(1))]));
    assert.equal(b[0], 0x01);
    const text = applyJsonDiffBytes(b, diffBytes(replace('$.b[0]', big), replace('$.a', int(0))));
    assert.equal(text, `{"a": 0, "b": ["${'x'.repeat(70000)}"]}`);
  });
});
