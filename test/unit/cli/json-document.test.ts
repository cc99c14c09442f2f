/** The streamed JSON of evaluate --json: byte for byte what JSON.stringify(doc, null, 2) prints, nothing left behind. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFiles } from '../../../local/cli/evaluate-files.js';
import { publicReport, writeEvaluationJson } from '../../../local/cli/evaluate-json.js';
import { SpooledJsonDocument } from '../../../local/cli/json-document.js';
import { defaultRegistry } from '../../../shared/config/registry.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('bishui-json-doc-');

async function streamed(head: Record<string, unknown>, arrays: Record<string, unknown[]>, flushChars: number, dir = tmp.dir): Promise<string> {
  const doc = await SpooledJsonDocument.open(Object.keys(arrays), { flushChars, dir });
  const chunks: Buffer[] = [];
  try {
    for (const [key, values] of Object.entries(arrays)) for (const v of values) await doc.array(key).push(v);
    await doc.writeTo(async (c) => { chunks.push(Buffer.from(c)); }, head);
  } finally {
    await doc.dispose();
  }
  return Buffer.concat(chunks).toString('utf8');
}

describe('SpooledJsonDocument', () => {
  it('writes exactly what JSON.stringify(doc, null, 2) prints, for any head and arrays, across any flush size', async () => {
    const name = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !/^\d+$/.test(k));
    await fc.assert(fc.asyncProperty(
      fc.dictionary(name.map((k) => `h${k}`), fc.jsonValue(), { maxKeys: 3 }),
      fc.dictionary(name.map((k) => `a${k}`), fc.array(fc.jsonValue(), { maxLength: 6 }), { maxKeys: 3 }),
      fc.integer({ min: 1, max: 200 }),
      async (head, arrays, flushChars) => {
        expect(await streamed(head, arrays, flushChars)).toBe(JSON.stringify({ ...head, ...arrays }, null, 2));
      },
    ), { numRuns: 150 });
  });

  it('writes empty arrays as [] and text from files (control characters, CJK, surrogate pairs) as JSON.stringify does', async () => {
    const arrays = { samples: [], rejected: [{ reason: 'a\u001b[31m\n\u2028\u202e 红 😀 \ud800' }] };
    expect(await streamed({ files: [] }, arrays, 1)).toBe(JSON.stringify({ files: [], ...arrays }, null, 2));
  });

  it('leaves no spool files behind', async () => {
    const dir = tempDir('bishui-spool-').dir;
    await streamed({ files: [1] }, { samples: [1, 2, 3] }, 2, dir);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('evaluate --json, streamed', () => {
  const csv = tmp.write('a.csv', [
    'site,time,COD,NH3N,备注',
    ...Array.from({ length: 300 }, (_, i) => `sixinhe,2023-07-${String(1 + (i % 28)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:00,${20 + (i % 15)},0.8,"注\u0007${i}"`),
    'sixinhe,yesterday,20,0.5,',
    '东沟桥,2023-07-15 10:00,abc,0.5,',
  ].join('\n'));
  const empty = tmp.write('empty.csv', '');

  it.each([[64], [1 << 20]])('prints the same document, byte for byte, as JSON.stringify of everything collected (flush every %d chars)', async (flushChars) => {
    const paths = [csv, join(tmp.dir, 'missing.csv'), empty];
    const registry = defaultRegistry();
    const collected = await evaluateFiles(paths, registry);
    const expected = `${JSON.stringify({ files: collected.files.map(publicReport), samples: collected.samples, rejected: collected.rejected, warnings: collected.warnings }, null, 2)}\n`;
    const chunks: Buffer[] = [];
    const dir = tempDir('bishui-eval-spool-').dir;
    await writeEvaluationJson(paths, registry, undefined, async (c) => { chunks.push(Buffer.from(c)); }, { flushChars, dir });
    expect(collected.samples).toHaveLength(301); // 东沟桥's row keeps its NH3-N; its COD 'abc' is a dropped value
    expect(collected.rejected).toHaveLength(1);
    expect(collected.warnings).toEqual([expect.objectContaining({ line: 303, param: 'COD', value: 'abc' })]);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
    expect(readdirSync(dir)).toEqual([]);
  });
});
