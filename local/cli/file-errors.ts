/** Why a local file could not be read, in words (not an errno); naming `path` when the reader would not otherwise see it. */
export function describeFileError(err: unknown, path?: string): string {
  const e = err as NodeJS.ErrnoException;
  const at = path === undefined ? '' : `: ${path}`;
  if (e.code === 'ENOENT') return `no such file${at}`;
  if (e.code === 'EISDIR') return `is a directory, not a file${at}`;
  if (e.code === 'EACCES' || e.code === 'EPERM') return `permission denied${at}`;
  return `cannot be read: ${e.message}`;
}
