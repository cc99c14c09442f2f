/**
 * Every notification within what SNS accepts and what a reader can take in, whatever came from a
 * file: a subject under 100 characters with no line break or control character (SNS rejects
 * others, and the message would then be stuck in the outbox), one SMS segment, a bounded `default`
 * and email, at most 10 attributes of bounded, clean values. Applied once, when a message is built,
 * so what is recorded in the outbox is exactly what is published.
 */
import {
  MAX_ATTRIBUTE_CHARS, MAX_DEFAULT_CHARS, MAX_EMAIL_BYTES, SNS_MAX_MESSAGE_ATTRIBUTES, SNS_MAX_SUBJECT_CHARS,
} from '../../limits.js';
import type { Notification } from '../../ports/index.js';
import { hasControlChars, oneLine, safeText } from '../../safe-text.js';
import { smsText } from '../sms.js';

const encoder = new TextEncoder();

export function bounded(n: Notification): Notification {
  return {
    topic: n.topic,
    subject: subjectText(n.subject),
    default: oneLine(n.default, MAX_DEFAULT_CHARS),
    email: emailText(n.email),
    sms: smsText(oneLine(n.sms, 4 * MAX_DEFAULT_CHARS)),
    attributes: boundedAttributes(n.attributes),
  };
}

/** One line under SNS's subject bound, counted in UTF-16 units (a character outside the BMP counts twice). */
function subjectText(subject: string): string {
  let max = SNS_MAX_SUBJECT_CHARS;
  let out = oneLine(subject, max);
  while (out.length > SNS_MAX_SUBJECT_CHARS) out = oneLine(subject, --max);
  return out || '【碧水】通知';
}

/** Lines as written, control characters removed; cut at a line boundary under the byte bound. */
function emailText(email: string): string {
  // The common case: short (even at 3 bytes a character) and clean, line breaks aside.
  if (email.length * 3 <= MAX_EMAIL_BYTES && !hasControlChars(email.replaceAll('\n', ''))) return email;
  const lines = email.split('\n').map((l) => safeText(l, { max: MAX_DEFAULT_CHARS * 4, controls: 'strip' }));
  const out: string[] = [];
  let bytes = 0;
  const tail = '……（以下从略，内容超出邮件长度上限）';
  const room = MAX_EMAIL_BYTES - encoder.encode(tail).length;
  for (const line of lines) {
    const size = encoder.encode(line).length + 1;
    if (bytes + size > room) { out.push(tail); break; }
    out.push(line);
    bytes += size;
  }
  return out.join('\n');
}

function boundedAttributes(attrs: Notification['attributes']): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = {};
  for (const [k, v] of Object.entries(attrs).slice(0, SNS_MAX_MESSAGE_ATTRIBUTES)) {
    const key = oneLine(k, MAX_ATTRIBUTE_CHARS);
    if (typeof v === 'string') out[key] = oneLine(v, MAX_ATTRIBUTE_CHARS) || 'unknown';
    else {
      const list = boundedList(v);
      out[key] = list.length === 1 ? (list[0] as string) : list.length === 0 ? 'unknown' : list;
    }
  }
  return out;
}

/** A String.Array's values, distinct and clean, while the array as sent stays within MAX_ATTRIBUTE_CHARS. */
function boundedList(values: readonly string[]): string[] {
  const list: string[] = [];
  for (const x of new Set(values.map((v) => oneLine(v, MAX_ATTRIBUTE_CHARS)))) {
    if (x === '') continue;
    if (list.length > 0 && JSON.stringify([...list, x]).length > MAX_ATTRIBUTE_CHARS) break;
    list.push(x);
  }
  return list;
}
