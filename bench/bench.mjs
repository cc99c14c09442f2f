#!/usr/bin/env node
// Bundles the benchmarks with esbuild — the way the Lambda code ships — and runs them.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { build } from 'esbuild';

mkdirSync('bench/.out', { recursive: true });
await build({
  entryPoints: ['bench/main.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20',
  outfile: 'bench/.out/main.mjs', logLevel: 'warning',
  // Our code bundled as Lambda ships it; dependencies (emulators with native parts among them) from node_modules.
  packages: 'external',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const r = spawnSync(process.execPath, ['bench/.out/main.mjs', ...process.argv.slice(2)], {
  stdio: 'inherit', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
process.exit(r.status ?? 1);
