/**
 * The monthly documents on disk, behind the ReportStore port: key `reports/2023-07/bulletin.html` is
 * the file `<root>/reports/2023-07/bulletin.html` (root: the local data dir). A file is written
 * beside its place and renamed into it, so a reader never opens half a document. A key that would
 * leave the root (absolute, `..`, a backslash or NUL) is refused.
 */
import { mkdir, readdir, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ReportStore } from '../ports/index.js';

export class FileReportStore implements ReportStore {
  private readonly root: string;

  /** `root` as given is how locate() names files (relative stays relative: `.bishui/reports/…`). */
  constructor(private readonly given: string) {
    this.root = resolve(given);
  }

  private pathOf(key: string): string {
    const parts = key.split('/');
    if (key === '' || key.startsWith('/') || /[\\\0]/.test(key) || parts.some((p) => p === '..' || p === '.' || p === '')) {
      throw new Error(`report key '${key.replace(/\p{Cc}/gu, '?')}' is not a plain relative key`);
    }
    const path = join(this.root, ...parts);
    if (!path.startsWith(this.root + sep)) throw new Error(`report key '${key}' is outside ${this.root}`);
    return path;
  }

  async put(key: string, body: string | Uint8Array, _contentType: string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, body);
    await rename(partial, path);
  }

  async list(prefix: string): Promise<string[]> {
    // The prefix ends with '/' for a folder (reports/2023-07/); list that folder's files, recursively.
    const dir = prefix.endsWith('/') ? this.pathOf(prefix.slice(0, -1)) : dirname(this.pathOf(prefix));
    let entries;
    try {
      entries = await readdir(dir, { recursive: true, withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return entries.filter((e) => e.isFile())
      .map((e) => relative(this.root, join(e.parentPath, e.name)).split(sep).join('/'))
      .filter((k) => k.startsWith(prefix))
      .sort();
  }

  /** Removes the file, and its folder when that is left empty (a month with no letters keeps no letters/). */
  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rmdir(dirname(path)).catch(() => {}); // not empty, or gone: either way nothing to do
  }

  locate(key: string): string {
    this.pathOf(key);
    return join(this.given, ...key.split('/'));
  }
}
