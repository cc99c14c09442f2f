/**
 * The documents go into a Node 22 ESM Lambda: vega, vega-lite and docx must bundle with esbuild as
 * the stack bundles (ESM, createRequire banner) and render in plain Node from a folder with no
 * node_modules — so no node-canvas (vega's optional `import('canvas')` fails and is caught).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FIXTURE_OPTIONS, fixtureBulletin } from '../../helpers/bulletin-fixture.js';
import { tempDir } from '../../helpers/tmp.js';

// The same as infra/stack/bishui-stack.ts's BUNDLING banner.
const BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

describe('the documents bundle', () => {
  const tmp = tempDir('bishui-docs-bundle-');

  it('bundles to one ESM file that renders the fixture in plain Node without node_modules', async () => {
    const outfile = join(tmp.dir, 'documents.mjs');
    const result = await build({
      entryPoints: [join(__dirname, '../../../shared/supervision/documents/index.ts')],
      bundle: true, platform: 'node', format: 'esm', target: 'node22', minify: true, outfile,
      banner: { js: BANNER }, logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    tmp.write('bulletin.json', JSON.stringify(fixtureBulletin()));
    tmp.write('options.json', JSON.stringify(FIXTURE_OPTIONS));
    const run = tmp.write('run.mjs', `
      import { readFileSync } from 'node:fs';
      import { renderSupervisionDocuments } from './documents.mjs';
      const read = (f) => JSON.parse(readFileSync(new URL(f, import.meta.url), 'utf8'));
      const { files } = await renderSupervisionDocuments(read('./bulletin.json'), read('./options.json'));
      const html = files.find((f) => f.name === 'bulletin.html').body;
      console.log(JSON.stringify({ names: files.map((f) => f.name), svgs: html.match(/<svg /g).length, letterBytes: files.filter((f) => f.name.endsWith('.docx')).map((f) => f.body.length) }));
    `);
    const { stdout } = await promisify(execFile)(process.execPath, [run], { cwd: tmp.dir });
    const out = JSON.parse(stdout) as { names: string[]; svgs: number; letterBytes: number[] };
    expect(out.names.slice(0, 2)).toEqual(['bulletin.html', 'bulletin.json']);
    expect(out.svgs).toBe(4);
    expect(out.letterBytes.length).toBe(4);
    for (const n of out.letterBytes) expect(n).toBeGreaterThan(5000);
  });
});
