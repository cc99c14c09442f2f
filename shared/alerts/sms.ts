/**
 * One Chinese SMS segment holds 70 characters (UCS-2). Longer text is cut with an ellipsis rather
 * than split into a second, separately billed segment.
 */
export const SMS_MAX_CHARS = 70;

export function smsText(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= SMS_MAX_CHARS ? chars.join('') : `${chars.slice(0, SMS_MAX_CHARS - 1).join('')}…`;
}
