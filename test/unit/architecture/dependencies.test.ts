/**
 * One direction of dependency: entry points (infra/, local/) → functions → shared; inside shared,
 * the pure domain (and the parsers and config it uses) imports no AWS SDK package and no adapter.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

const AWS = /^(@aws-sdk\/|aws-sdk$|aws-sdk\/|@smithy\/|@aws-lambda-powertools\/|aws-cdk-lib|constructs$|aws-lambda$)/;

describe('architecture', () => {
  const core = sources('shared').filter((f) => !f.startsWith('shared/adapters/'));

  it('finds the core sources it checks', () => {
    expect(core).toContain('shared/domain/evaluate.ts');
    expect(importsOf('shared/domain/evaluate.ts')).toContain('./gb3838.js');
    expect(AWS.test('@aws-sdk/client-s3')).toBe(true);
    expect(AWS.test('zod')).toBe(false);
  });

  it('the shared core imports no AWS SDK, Powertools or CDK package', () => {
    const offenders = core.flatMap((f) => importsOf(f).filter((i) => AWS.test(i)).map((i) => `${f} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it('the shared core imports no adapter', () => {
    const offenders = core.flatMap((f) => importsOf(f).filter((i) => /(^|\/)adapters(\/|$)/.test(i)).map((i) => `${f} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it('the domain model imports nothing from parsers or config (pure)', () => {
    const domain = core.filter((f) => f.startsWith('shared/domain/'));
    const offenders = domain.flatMap((f) => importsOf(f).filter((i) => /parsers|config|node:/.test(i)).map((i) => `${f} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it('shared imports nothing from functions, infra or local; functions nothing from infra or local', () => {
    const up = [
      ...sources('shared').flatMap((f) => importsOf(f).filter((i) => /(^|\/)(functions|infra|local)\//.test(i)).map((i) => `${f} imports ${i}`)),
      ...sources('functions').flatMap((f) => importsOf(f).filter((i) => /(^|\/)(infra|local)\//.test(i)).map((i) => `${f} imports ${i}`)),
    ];
    expect(up).toEqual([]);
  });

  it('infra/ holds the CDK app and stack only: it imports nothing from the local runtime or the CLI', () => {
    const offenders = sources('infra').flatMap((f) => importsOf(f).filter((i) => /(^|\/)local\//.test(i)).map((i) => `${f} imports ${i}`));
    expect(offenders).toEqual([]);
  });
});
