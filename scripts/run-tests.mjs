// Runs every compiled test file (unit tests next to the code, integration and fixture suites under test/)
// with node's test runner, two files at a time (this project's machines have 2 cores). Long soaks live in
// test/long and run only with `npm run test:long`. `--test-force-exit`: a file whose tests all ended exits even
// if a handle (socket, timer) is still open, so a leak shows as a failing test, never as a run that hangs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const dirs = ['dist/src', 'dist/test/integration', 'dist/test/fixtures'].filter((d) => existsSync(d));
const extra = process.argv.slice(2);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=600000', '--test-force-exit', ...extra, ...dirs], { stdio: 'inherit' });
process.exit(r.status ?? 1);
