/**
 * Text that came from a file or an error, as the ledger keeps it: control characters (line breaks,
 * escape codes, NULs) replaced by U+FFFD so an entry prints on one line and cannot drive a terminal,
 * and at most `max` characters, a cut marked with '…'.
 */
// C0 controls, DEL and C1 controls; and the line/paragraph separators that also break a line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function boundedText(text: string, max: number): string {
  const clean = text.replace(CONTROL, '\ufffd');
  if (clean.length <= max) return clean;
  let end = Math.max(0, max - 1);
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // never leave half a surrogate pair
  return `${clean.slice(0, end)}…`;
}
