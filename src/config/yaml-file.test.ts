import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeWith, parseYaml, readConfigFile, yBool, yInt, yObject, yRecord, yString, yStringList, yStringMap } from './yaml-file.js';
import { throwsDm } from './test-support.js';

const schema = yObject({
  name: yString(),
  password: yString(),
  port: yInt(1, 65535),
  flag: yBool(),
  list: yStringList(),
  session: yStringMap(),
  rules: yRecord(yObject({ a: yString(), b: yInt() }), 'rules'),
  nested: yObject({ inner: yObject({ x: yString() }) }),
});

function decode(text: string) {
  return decodeWith(parseYaml(text, 't.yaml'), schema, 'test') ?? {};
}

test('YAML 1.1 booleans, as yaml.v2 reads them', () => {
  for (const [text, want] of [['yes', true], ['No', false], ['on', true], ['OFF', false], ['true', true], ['False', false], ['y', true], ['n', false]] as const) {
    assert.equal(decode(`flag: ${text}`).flag, want, text);
  }
  throwsDm(() => decode('flag: "true"'), 20003, 'flag: expected true or false, got "true"');
});

test('string keys take the scalar as written (yaml.v2), whatever YAML resolves it to', () => {
  assert.equal(decode('password: 123456').password, '123456');
  assert.equal(decode('password: 00123').password, '00123');
  assert.equal(decode('password: yes').password, 'yes');
  assert.equal(decode('password: 1.50').password, '1.50');
  assert.equal(decode('name: 2021-01-02').name, '2021-01-02');
  assert.equal(decode("password: 'a''b'").password, "a'b");
  assert.deepEqual(decode('list: [1, true, x, ]').list, ['1', 'true', 'x']);
  assert.deepEqual({ ...decode('session: {a: 1, b: ON}').session }, { a: '1', b: 'ON' });
});

test('an empty value means "not set"', () => {
  const r = decode('name:\npassword: ~\nport:\nlist:\n');
  assert.equal(r.name, undefined);
  assert.equal(r.password, undefined);
  assert.equal(r.port, undefined);
  assert.equal(r.list, undefined);
  assert.deepEqual({ ...decode('') }, {});
  assert.deepEqual({ ...decode('# only a comment\n') }, {});
});

test('anchors, aliases and << merge keys (explicit keys win)', () => {
  const r = decode('base: &b {a: x, b: 1}\n'.replace('base', 'nested') .replace('{a: x, b: 1}', '{inner: {x: 1}}') + 'rules:\n  r1: &r {a: one, b: 2}\n  r2:\n    <<: *r\n    b: 3\n  r3: *r\n');
  assert.equal(r.rules?.r2?.a, 'one');
  assert.equal(r.rules?.r2?.b, 3);
  assert.equal(r.rules?.r3?.b, 2);
  const m = decode('rules:\n  x: &x {a: first}\n  y: &y {a: second, b: 9}\n  z:\n    <<: [*x, *y]\n');
  assert.equal(m.rules?.z?.a, 'first');
  assert.equal(m.rules?.z?.b, 9);
});

test('strict decoding: unknown keys name file, line, key path, and a likely fix', () => {
  throwsDm(() => decode('name: a\nnested:\n  inner:\n    y: 1\n'), 20003, 't.yaml:4:5: nested.inner.y: unknown key; allowed keys: x');
  throwsDm(() => decode('nmae: a\n'), 20003, 't.yaml:1:1: nmae: unknown key (did you mean "name"?)');
  throwsDm(() => decode('rules:\n  r1: {a: x, c: 1}\n'), 20003, 't.yaml:2:14: rules.r1.c: unknown key');
});

test('wrong types say what was found and what is allowed', () => {
  throwsDm(() => decode('port: abc'), 20003, 'port: expected an integer from 1 to 65535, got "abc"');
  throwsDm(() => decode('port: 0'), 20003, 'port: expected an integer from 1 to 65535, got "0"');
  throwsDm(() => decode('port: 3306.5'), 20003, 'got "3306.5"');
  throwsDm(() => decode('list: abc'), 20003, 'list: expected a list of strings');
  throwsDm(() => decode('nested: abc'), 20003, 'nested: expected a mapping');
  throwsDm(() => decode('name: [a]'), 20003, 'name: expected a string, got a list');
  // all problems at once, in file order
  const e = throwsDm(() => decode('port: x\nflag: maybe\n'), 20003);
  assert.ok(e.message.indexOf('t.yaml:1:') < e.message.indexOf('t.yaml:2:'));
});

test('passwords never appear in messages', () => {
  const e1 = throwsDm(() => decode('password: [hunter2]'), 20003, 'password: expected a string, got a list');
  assert.ok(!e1.message.includes('hunter2'));
  const s2 = yObject({ db: yObject({ password: yInt() }) });
  const e2 = throwsDm(() => decodeWith(parseYaml('db: {password: hunter2}', 'x.yaml'), s2, 'x'), 20003, 'db.password', 'got ******');
  assert.ok(!e2.message.includes('hunter2'));
  // a YAML syntax error on a password line does not quote the line
  const e3 = throwsDm(() => parseYaml('password: "hun\\qter2"\n', 'y.yaml'), 20003, 'y.yaml:1:', 'details hidden');
  assert.ok(!e3.message.includes('hun'));
});

test('YAML syntax errors and duplicate keys are 20003 with the position', () => {
  throwsDm(() => parseYaml('name: a\nname: b\n', 'd.yaml'), 20003, 'd.yaml:2:1', /unique/i);
  throwsDm(() => parseYaml('a: [1, 2\n', 's.yaml'), 20003, 's.yaml:');
  throwsDm(() => parseYaml('a: *nothing\n', 'al.yaml'), 20003, 'al.yaml');
});

test('reading a missing file is 20018 naming the file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dm-yaml-'));
  throwsDm(() => readConfigFile(path.join(dir, 'nope.yaml')), 20018, 'read config file', 'nope.yaml', 'no such file');
  writeFileSync(path.join(dir, 'ok.yaml'), 'name: a\n');
  assert.equal(readConfigFile(path.join(dir, 'ok.yaml')), 'name: a\n');
});

test('a file with several YAML documents is refused in plain words', () => {
  throwsDm(() => parseYaml('a: 1\n---\nb: 2\n', 'm.yaml'), 20003, 'm.yaml:2:1', 'more than one YAML document');
  // a leading "---" and a byte-order mark are fine
  assert.ok(parseYaml('\ufeff---\na: 1\r\n', 'bom.yaml'));
});
