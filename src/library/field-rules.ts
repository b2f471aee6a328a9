/**
 * Rules for file attributes that both the upload form and the JSON routes accept (tags, custom coordinates),
 * written once so the two can never disagree.
 */
import { badField } from '../validate/fields';

export const MAX_TAGS_LENGTH = 500;

/** Trimmed, de-duplicated tags; no `%`, at most 500 characters in all (separators do not count). */
export function checkTags(tags: readonly string[], field: string): string[] {
  const cleaned = [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))];
  if (cleaned.some((t) => t.includes('%'))) throw badField(field, 'tags without "%"');
  if (cleaned.reduce((n, t) => n + t.length, 0) > MAX_TAGS_LENGTH) {
    throw badField(field, `at most ${MAX_TAGS_LENGTH} characters in all tags together`);
  }
  return cleaned;
}

/** `x,y,width,height` as non-negative integers with a non-empty area; empty text means none (null). */
export function checkCustomCoordinates(value: string, field: string): string | null {
  if (value.trim() === '') return null;
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,9}$/.test(p))) {
    throw badField(field, '"x,y,width,height" as non-negative integers, e.g. 10,10,100,100');
  }
  const [x, y, w, h] = parts.map(Number) as [number, number, number, number];
  // A zero-sized area cannot be focused on.
  if (w === 0 || h === 0) throw badField(field, 'a width and height of at least 1');
  return `${x},${y},${w},${h}`;
}
