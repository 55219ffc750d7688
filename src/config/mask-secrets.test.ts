import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASK, maskYamlSecrets } from './mask-secrets.js';

test('every password value is masked, nested or not; the rest and comments stay', () => {
  const text = `# my source\nsource-id: "s1"\nfrom:\n  host: 127.0.0.1\n  password: "secret-1"\ntarget-database:\n  Password: secret-2\nlist:\n  - password: secret-3\n`;
  const out = maskYamlSecrets(text);
  for (const s of ['secret-1', 'secret-2', 'secret-3']) assert.ok(!out.includes(s), out);
  assert.equal(out.split(MASK).length - 1, 3);
  assert.match(out, /# my source/);
  assert.match(out, /host: 127.0.0.1/);
});

test('text that is not YAML is not shown at all', () => {
  const out = maskYamlSecrets('password: [unclosed secret');
  assert.ok(!out.includes('secret'), out);
});
