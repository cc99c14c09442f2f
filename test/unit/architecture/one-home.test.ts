/**
 * Each fact has one home: the raw bucket's prefixes (shared/layout.ts), the time zone
 * (shared/domain/time.ts) and the DynamoDB key prefixes (shared/adapters/dynamo/table-design.ts).
 * Anywhere else in the code they must be imported, never written out again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../..');

function sources(...dirs: string[]): string[] {
  return dirs.flatMap((dir) => readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|mjs|js)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    // bench/.out holds what `npm run bench` builds from these sources (gitignored), not code to check
    .filter((f) => !f.startsWith('bench/.out/')));
}

/** The code without its comments (prose may name a prefix; code may not spell one). */
export function codeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const FACTS: readonly { what: string; pattern: RegExp; home: string }[] = [
  { what: 'the incoming/ prefix', pattern: /['"`]incoming\//, home: 'shared/layout.ts' },
  { what: 'the quarantine/ prefix', pattern: /['"`]quarantine\//, home: 'shared/layout.ts' },
  { what: 'the reports/ prefix', pattern: /['"`]reports\//, home: 'shared/layout.ts' },
  { what: 'the time zone', pattern: /Asia\/Shanghai/, home: 'shared/domain/time.ts' },
  { what: 'a DynamoDB key prefix', pattern: /['"`](SITE|FILE|ALERT|MONTH|OUTBOX|S|D|V)#/, home: 'shared/adapters/dynamo/table-design.ts' },
];

// bench/.out holds the bench's build output (git-ignored): bundled code spells every literal it imports
const files = sources('shared', 'functions', 'infra', 'local', 'bench', 'bin').filter((f) => !f.startsWith('bench/.out/'));

describe('each fact has one home', () => {
  it('reads the code it checks, and its check finds a literal', () => {
    expect(files).toContain('shared/layout.ts');
    expect(files).toContain('local/cli/start.ts');
    expect(FACTS.every((f) => f.pattern.test(codeOf(readFileSync(join(root, f.home), 'utf8'))))).toBe(true);
    expect(codeOf("const a = 'x'; // 'incoming/' in prose\n/* 'SITE#' */ const b = `S#${a}`;")).not.toMatch(/incoming|SITE/);
    expect(FACTS[4]!.pattern.test(codeOf('const k = `S#${t}`;'))).toBe(true);
  });

  it.each(FACTS)('$what is written only in $home', ({ pattern, home }) => {
    const offenders = files.filter((f) => f !== home && pattern.test(codeOf(readFileSync(join(root, f), 'utf8'))));
    expect(offenders).toEqual([]);
  });
});
