/**
 * The documents' names, relative to reports/YYYY-MM/ (S3 in AWS, the data dir locally):
 *   bulletin.html, bulletin.json, letters/NN-<kind>-<town>.docx
 * NN numbers the letters in the bulletin's town order (unique even when two town names clean to the
 * same text). A town name keeps only letters, digits, '-' and '_': no path separator, dot, space or
 * control character from data reaches a key or a file system.
 */
import { MAX_FILE_NAME_TOWN_CHARS } from '../../limits.js';
import type { Bulletin, LadderAction, TownResult } from '../bulletin.js';

export const HTML_NAME = 'bulletin.html';
export const JSON_NAME = 'bulletin.json';
export const LETTERS_DIR = 'letters';

export type LetterAction = Exclude<LadderAction, 'none'>;

/** What each letter is called in its file name. */
const KIND: Readonly<Record<LetterAction, string>> = {
  'reminder-letter': '提醒函',
  'interview-deputy': '约谈通知-分管负责人',
  'interview-principal': '约谈通知-主要负责人',
  'listed-supervision': '挂牌督办通知',
};

/** A name part made from data: NFKC, then only letters, digits, '-' and '_', bounded. */
export function safeNamePart(text: string, maxChars: number = MAX_FILE_NAME_TOWN_CHARS): string {
  const kept = text.normalize('NFKC').replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/_+/g, '_').replace(/^[_-]+|[_-]+$/g, '');
  const cut = [...kept].slice(0, maxChars).join('');
  return cut || 'town';
}

export function letterName(index: number, town: TownResult & { action: LetterAction }): string {
  return `${LETTERS_DIR}/${String(index + 1).padStart(2, '0')}-${KIND[town.action]}-${safeNamePart(town.town)}.docx`;
}

/** Towns that get a letter this month, in the bulletin's order. */
export function lettered(bulletin: Bulletin): (TownResult & { action: LetterAction })[] {
  return bulletin.towns.filter((t): t is TownResult & { action: LetterAction } => t.action !== 'none');
}

/** Every document's name for this bulletin (what `bulletin.files` should hold, under reports/YYYY-MM/). */
export function documentNames(bulletin: Bulletin): { html: string; json: string; letters: string[] } {
  return { html: HTML_NAME, json: JSON_NAME, letters: lettered(bulletin).map((t, i) => letterName(i, t)) };
}
