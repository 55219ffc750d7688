/**
 * Crash-test helper: runs one LoadUnit in its own process so the test can SIGKILL it at any moment (or let
 * the `DM_FAILPOINTS=load/after-checkpoint=<n>` failpoint kill it). Options come as JSON in argv[2]:
 * LoadUnitOptions without filter/router, plus `schemaMap` ({ upstream schema: downstream schema }).
 * Prints one JSON line per progress report (`{"progress":…}`) and a final `{"result":…}` line.
 *
 * Run: node --import tsx test/integration/load-unit-child.ts '<json>'. Without an argument (e.g. picked up by a
 * test runner scanning the directory) it does nothing.
 */
import { LoadUnit, type LoadUnitOptions } from '../../src/units/load/load-unit.js';
import { ALLOW_ALL, type TableRouter } from '../../src/filter/table-filter.js';

type ChildOptions = Omit<LoadUnitOptions, 'filter' | 'router' | 'onProgress'> & { schemaMap?: Record<string, string> };

const arg = process.argv[2];
if (!arg?.startsWith('{')) process.exit(0);
const opts = JSON.parse(arg) as ChildOptions;
const map = opts.schemaMap ?? {};
const router: TableRouter = {
  route: (schema, table) => ({ schema: map[schema] ?? schema, table }),
  routeSchema: (schema) => map[schema] ?? schema,
};

const unit = new LoadUnit({
  ...opts,
  filter: ALLOW_ALL,
  router,
  onProgress: (s) => process.stdout.write(`${JSON.stringify({ progress: { stage: s.stage, finishedBytes: s.finishedBytes, totalBytes: s.totalBytes } })}\n`),
});
await unit.init();
const r = await unit.process(new AbortController().signal);
const st = unit.status();
process.stdout.write(`${JSON.stringify({ result: { interrupted: r.interrupted, errors: r.errors.map((e) => e.message), finishedBytes: st.finishedBytes, totalBytes: st.totalBytes, progress: st.progress } })}\n`);
await unit.close();
process.exitCode = r.errors.length > 0 ? 1 : 0;
