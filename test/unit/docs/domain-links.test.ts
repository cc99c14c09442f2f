/**
 * Code, tests, settings and the README link the domain reference as `docs/domain.md#<anchor>` (and
 * name further anchors after it on the same line, `… #ranking, #supervision-ladder`): every anchor
 * must be a heading of docs/domain.md, slugged as GitHub does, so a link never points nowhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import GithubSlugger from 'github-slugger';
import { lexer, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../..');
const slugger = new GithubSlugger();
const headings = new Set(lexer(readFileSync(join(root, 'docs/domain.md'), 'utf8'))
  .filter((t): t is Tokens.Heading => t.type === 'heading').map((h) => slugger.slug(h.text)));

const files = [
  ...['shared', 'functions', 'local', 'infra', 'test', 'bench', 'config'].flatMap((dir) => readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|json)$/.test(e.name)).map((e) => relative(root, join(e.parentPath, e.name)))),
  'README.md',
];

/** `file:line → anchor` for each anchor named after a docs/domain.md link on a line. */
function links(): { where: string; anchor: string }[] {
  return files.flatMap((f) => readFileSync(join(root, f), 'utf8').split('\n').flatMap((line, i) => {
    const at = line.indexOf('docs/domain.md#');
    if (at < 0) return [];
    return [...line.slice(at).matchAll(/#([a-z0-9][a-z0-9-]*)/g)].map((m) => ({ where: `${f}:${i + 1}`, anchor: m[1] as string }));
  }));
}

describe('links into docs/domain.md', () => {
  it('finds the links the code makes', () => {
    const found = links();
    expect(found.length).toBeGreaterThan(20);
    expect(found.map((l) => l.anchor)).toEqual(expect.arrayContaining(['supervision-ladder', 'trend-test', 'period-values', 'cwqi']));
  });

  it('every anchor is a heading of docs/domain.md', () => {
    const broken = links().filter((l) => !headings.has(l.anchor)).map((l) => `${l.where} #${l.anchor}`);
    expect(broken).toEqual([]);
  });

  it('nothing in the repo cites the domain facts by a file outside it', () => {
    const outside = files.filter((f) => !f.endsWith('domain-links.test.ts') && /water-domain\.md/.test(readFileSync(join(root, f), 'utf8')));
    expect(outside).toEqual([]);
  });
});
