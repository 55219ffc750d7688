import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { compileGoRegexp, compileNamePattern, parseWildcard, PatternError } from './wildcard-pattern.js';

function matches(pattern: string, names: string[], caseSensitive = true): string[] {
  const p = parseWildcard(pattern, caseSensitive);
  return names.filter((n) => p.test(n));
}

describe('DM wildcard', () => {
  test('`*` is zero or more characters and only allowed last, once (DM trie selector)', () => {
    assert.deepEqual(matches('abc*', ['abc', 'abcd', 'ab', 'xabc']), ['abc', 'abcd']);
    assert.deepEqual(matches('*', ['', 'a', 'anything at all']), ['', 'a', 'anything at all']);
    for (const bad of ['t_*_x', 'a**', '*a', 'ab*[c]', '**']) {
      assert.throws(() => parseWildcard(bad), (e: unknown) => e instanceof PatternError && e.message === `pattern ${bad} not valid`, bad);
    }
  });

  test('`?` is exactly one character', () => {
    assert.deepEqual(matches('a?c', ['abc', 'ac', 'abbc', 'a?c']), ['abc', 'a?c']);
    assert.deepEqual(matches('foo?', ['foo?', 'foor', 'foo', 'foo12']), ['foo?', 'foor']);
  });

  test('sets: [abc], [a-z], [!...], ended by the first `]` (vectors from DM selector_test.go)', () => {
    assert.deepEqual(matches('ik[hjkl]', ['ikj', 'ikh', 'ikm']), ['ikj', 'ikh']);
    assert.deepEqual(matches('ik[!zxc]', ['ikb', 'iky', 'ikz', 'ikx']), ['ikb', 'iky']);
    assert.deepEqual(matches('ik[f-h]', ['ikh', 'ikf', 'ike']), ['ikh', 'ikf']);
    assert.deepEqual(matches('ik[!a-ce-g]', ['iky', 'ikd', 'ikb', 'ikf']), ['iky', 'ikd']);
    assert.deepEqual(matches('i[x-z][1-3]', ['iz3', 'ix1', 'iw1', 'iz4']), ['iz3', 'ix1']);
    // `[!]` is the literal `!`; a `-` before `]` is literal; `a-c-f` is {a-c, -, f}
    assert.deepEqual(matches('[!]', ['!', 'a']), ['!']);
    assert.deepEqual(matches('[a-]', ['-', 'a', 'b']), ['-', 'a']);
    assert.deepEqual(matches('[a-c-f]', ['-', 'c', 'f', 'd']), ['-', 'c', 'f']);
    assert.deepEqual(matches('[!a-c!f-g]', ['d', 'zxcv', '!', 'b']), ['d']);
    // `[]` matches nothing, so `[]*` matches nothing either
    assert.deepEqual(matches('[]*', ['', 'd', ']']), []);
    // a `[` with no `]` after it is a literal
    assert.deepEqual(matches('foo[', ['foo[', 'foo']), ['foo[']);
    // no escapes: `foo[bar]` is a set, a backslash is a plain character (DM filter_test.go)
    assert.deepEqual(matches('foo[bar]', ['foor', 'foo[bar]', 'fooa']), ['foor', 'fooa']);
    assert.deepEqual(matches('special\\', ['special\\', 'special']), ['special\\']);
  });

  test('FAQ: `table_parttern_[0-63]` matches only _0 … _6 (one character)', () => {
    const names = Array.from({ length: 70 }, (_, i) => `table_parttern_${i}`);
    assert.deepEqual(matches('table_parttern_[0-63]', names), ['table_parttern_0', 'table_parttern_1', 'table_parttern_2', 'table_parttern_3', 'table_parttern_4', 'table_parttern_5', 'table_parttern_6']);
  });

  test('unicode names: one `?` or set position is one character', () => {
    assert.deepEqual(matches('库_?', ['库_表', '库_ab', '库_']), ['库_表']);
    assert.deepEqual(matches('数据[一二]*', ['数据一', '数据二号', '数据三']), ['数据一', '数据二号']);
    assert.deepEqual(matches('?', ['😀', 'ab']), ['😀']);
    assert.deepEqual(matches('Ünïcode*', ['Ünïcode_1', 'unicode_1']), ['Ünïcode_1']);
  });

  test('case-insensitive: the pattern is lowercased, the caller lowercases names', () => {
    const p = parseWildcard('Test_[A-C]*', false);
    assert.equal(p.test('test_b1'), true);
    assert.equal(p.test('Test_B1'), false, 'names are folded by the caller');
    assert.equal(parseWildcard('Test_[A-C]*', true).test('test_b1'), false);
    assert.equal(parseWildcard('Test_[A-C]*', true).test('Test_B1'), true);
  });

  test('keys identify trie paths: [ab] = [ba], [a-c] ≠ [abc], literals ≠ wildcards', () => {
    const key = (p: string): string => parseWildcard(p).key;
    assert.equal(key('t[ab]'), key('t[ba]'));
    assert.equal(key('t[a-cb]'), key('t[a-c]'));
    assert.notEqual(key('t[a-c]'), key('t[abc]'));
    assert.notEqual(key('t[!a]'), key('t[a]'));
    assert.notEqual(key('t?'), key('t[?]'));
    assert.notEqual(key('t*'), key('t'));
    assert.equal(parseWildcard('Ab', false).key, parseWildcard('aB', false).key);
    assert.equal(parseWildcard('abc').isLiteral, true);
    assert.equal(parseWildcard('ab?').isLiteral, false);
  });
});

describe('Go RE2 regular expressions', () => {
  const re = (src: string, ci = false): RegExp => compileGoRegexp(src, ci);
  const rejects = (src: string, fragment: string): void => {
    assert.throws(() => re(src), (e: unknown) => e instanceof PatternError && e.message.includes(fragment), src);
  };

  test('lookaround and backreferences are rejected as RE2 rejects them (FAQ: no `(?!`)', () => {
    rejects('^(?!test).*', 'invalid or unsupported Perl syntax: `(?!`');
    rejects('a(?=b)', 'invalid or unsupported Perl syntax: `(?=`');
    rejects('(?<=a)b', 'invalid or unsupported Perl syntax: `(?<`');
    rejects('(?<!a)b', 'invalid or unsupported Perl syntax: `(?<`');
    rejects('(?<name>a)', 'invalid or unsupported Perl syntax: `(?<`');
    rejects('(a)\\1', 'invalid escape sequence: `\\1`');
    rejects('\\k<a>', 'invalid escape sequence: `\\k`');
    rejects('a\\', 'trailing backslash');
    rejects('(a', 'error parsing regexp');
    rejects('[a', 'missing closing ]');
    rejects('[z-a]', 'invalid character class range: `z-a`');
    rejects('[[:nope:]]', 'invalid character class range: `[:nope:]`');
    rejects('a{1001}', 'invalid repeat count');
    rejects('a{3,2}', 'invalid repeat count');
    rejects('\\p{NoSuchScript}', 'invalid character class range');
    rejects('(?P<a>x)(?P<a>y)', 'duplicate capture group name');
  });

  test('matching is unanchored, like Go MatchString', () => {
    assert.equal(re('_2018$').test('messages_2018'), true);
    assert.equal(re('^forum.*').test('forum_backup_2016'), true);
    assert.equal(re('^forum.*').test('the_forum'), false);
    assert.equal(re('').test('anything'), true);
  });

  test('Go semantics where JS differs', () => {
    // `.` excludes only \n
    assert.equal(re('^a.b$').test('a\rb'), true);
    assert.equal(re('^a.b$').test('a\nb'), false);
    // \s is [\t\n\f\r ] (no \v, no NBSP)
    assert.equal(re('^\\s$').test('\v'), false);
    assert.equal(re('^\\s$').test('\u00a0'), false);
    assert.equal(re('^\\S$').test('\v'), true);
    assert.equal(re('^[\\s]$').test('\t'), true);
    assert.equal(re('^[^\\S]$').test(' '), true);
    // \A, \z; (?m) lines end at \n only
    assert.equal(re('\\Aab\\z').test('ab'), true);
    assert.equal(re('\\Aab\\z').test('ab\n'), false);
    assert.equal(re('(?m)^b$').test('a\nb\nc'), true);
    assert.equal(re('(?m)^b$').test('a\rb\rc'), false);
    assert.equal(re('(?s)^a.b$').test('a\nb'), true);
    // \Q…\E, octal, hex, punctuation escapes, literal { and ]
    assert.equal(re('^\\Qa.b*\\E$').test('a.b*'), true);
    assert.equal(re('^\\Qa.b*\\E$').test('axbb'), false);
    assert.equal(re('^\\101\\x42\\x{43}\\_\\-$').test('ABC_-'), true);
    assert.equal(re('^a{,2}$').test('a{,2}'), true);
    assert.equal(re('^a]$').test('a]'), true);
    assert.equal(re('^[]a]+$').test(']a]'), true);
    assert.equal(re('^[^]a]$').test('b'), true);
    assert.equal(re('^x{2,3}$').test('xxx'), true);
    assert.equal(re('^x{2,3}$').test('xxxx'), false);
    assert.equal(re('^x{2,}$').test('xxxxx'), true);
    assert.equal(re('^x{01}$').test('x{01}'), true, 'Go: a leading zero makes `{` a literal');
    // POSIX and Unicode classes
    assert.equal(re('^[[:alpha:]_]+$').test('ab_C'), true);
    assert.equal(re('^[[:^digit:]]+$').test('abc'), true);
    assert.equal(re('^[[:^digit:]]+$').test('a1'), false);
    assert.equal(re('^\\pL+$').test('ümlaut'), true);
    assert.equal(re('^\\p{Greek}+$').test('αβγ'), true);
    assert.equal(re('^\\p{^Greek}+$').test('abc'), true);
    assert.equal(re('^\\PL$').test('1'), true);
    assert.equal(re('^\\p{Han}+$').test('数据库'), true);
    // named groups, repeated assertions
    assert.equal(re('^(?P<shard>\\d+)$').test('42'), true);
    assert.equal(re('^*a').test('a'), true);
    // (?U) swaps greedy and lazy
    assert.equal(re('a+').exec('aaa')?.[0], 'aaa');
    assert.equal(re('(?U)a+').exec('aaa')?.[0], 'a');
    assert.equal(re('(?U)a+?').exec('aaa')?.[0], 'aaa');
    // (?s:…) scoped to the group
    assert.equal(re('^(?s:a.)b.$').test('a\nbc'), true);
    assert.equal(re('^(?s:a.)b.$').test('a\nb\n'), false);
  });

  test('case-insensitivity: DM prepends (?i); a leading (?i) works; switching mid-pattern is refused', () => {
    assert.equal(re('^FOO', true).test('foo1'), true);
    assert.equal(re('^FOO', false).test('foo1'), false);
    assert.equal(re('(?i)^FOO').test('foo1'), true);
    assert.equal(re('(?i)a(?i)b').test('AB'), true);
    assert.equal(re('a(?i)b', true).test('aB'), true);
    rejects('a(?i)b', 'cannot switch case sensitivity');
    rejects('(?i:a)b', 'cannot switch case sensitivity');
  });

  test('compileNamePattern: `~` selects a regex, anything else is a wildcard', () => {
    assert.equal(compileNamePattern('~^t[0-8]', true).test('t1x'), true);
    assert.equal(compileNamePattern('t[0-8]', true).test('t1x'), false);
    assert.equal(compileNamePattern('~^FoO$', false).test('foo'), true);
    assert.equal(compileNamePattern('~f[0-9]', true).test('xf1'), true);
  });
});
