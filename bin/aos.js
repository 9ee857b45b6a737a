#!/usr/bin/env node
// Shim over the compiled CLI (`npm install` builds it through the `prepare` script).
import('../dist/src/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli/main.js')) {
    process.stderr.write('aos: not built yet; run `npm install` (or `npm run build`) in the AOS folder first\n');
  } else {
    process.stderr.write(`aos: ${err && err.stack ? err.stack : err}\n`);
  }
  process.exit(1);
});
