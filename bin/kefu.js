#!/usr/bin/env node
// Entry point of the `kefu` command: runs the compiled CLI in dist/ (built by `npm install`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'error: kefu is not built (dist/ is missing)\nhint: run `npm install` or `npm run build` in the kefu folder\n',
  );
  process.exit(3);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
