// Regenerates docs/errors.md from the compiled error catalogue.
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc } from '../dist/src/observability/errors-doc.js';
writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
