/**
 * One Chinese SMS segment holds 70 UCS-2 characters. Longer text is cut with an ellipsis rather
 * than split into a second, separately billed segment.
 */
export const SMS_MAX_CHARS = 70;

export function smsText(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim();
  if (s.length <= SMS_MAX_CHARS) return s;
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > SMS_MAX_CHARS - 1) break;
    out += ch;
  }
  return `${out}…`;
}
