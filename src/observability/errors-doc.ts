/**
 * Renders docs/errors.md from the error catalogue, so the reference can never drift from the code
 * (a unit test compares the committed file with this output; `npm run docs:errors` rewrites it).
 */
import { allErrorDefs } from './error-catalogue.js';

export function renderErrorsDoc(): string {
  const defs = [...allErrorDefs()].sort((a, b) => a.code - b.code);
  const lines = [
    '# Error codes',
    '',
    'Generated from `src/observability/error-catalogue.ts` by `npm run docs:errors`; do not edit by hand.',
    '',
    'Every error dm-ts reports has the form `[code=NNNNN:class=…:scope=…:level=…] message, Workaround: …`.',
    "Codes are DM's (v5.3) where DM has one, so DM's documentation and runbooks apply.",
    '',
    '| code | name | class | scope | level | message | workaround |',
    '|---|---|---|---|---|---|---|',
  ];
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  for (const d of defs) {
    lines.push(`| ${d.code} | ${d.name} | ${d.cls} | ${d.scope} | ${d.level} | ${cell(d.message)} | ${cell(d.workaround)} |`);
  }
  return lines.join('\n') + '\n';
}
