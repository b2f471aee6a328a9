/**
 * The `sort` parameter of GET /v1/files as an ORDER BY clause over the `assets` view (src/library/schema.ts).
 */
import { HttpError } from '../../http/errors';

/** What each sort key orders by. Only these constant expressions ever reach the SQL. */
const KEYS: Record<string, string> = {
  NAME: 'name COLLATE NOCASE',
  CREATED: 'created_at',
  UPDATED: 'updated_at',
  HEIGHT: 'height',
  WIDTH: 'width',
  SIZE: 'size',
  // There is no relevance score without full-text ranking; DESC_RELEVANCE is newest first.
  RELEVANCE: 'created_at',
  // Media duration is kept with the embedded metadata (videos only).
  DURATION: "json_extract(embedded_metadata, '$.Duration')",
  ORIGINAL_CREATION_DATE: "json_extract(embedded_metadata, '$.DateTimeOriginal')",
};

export const SORT_VALUES: readonly string[] = Object.keys(KEYS).flatMap((key) => [`ASC_${key}`, `DESC_${key}`]);

/**
 * `ORDER BY ...` for a sort value (case-insensitive; ASC_CREATED when absent or empty). Rows without the sort
 * value (a folder's size, a photo's duration) come last either way, and the id breaks ties so pages are stable.
 */
export function orderBy(sort: string | undefined): string {
  const value = (sort ?? '').trim().toUpperCase() || 'ASC_CREATED';
  const match = /^(ASC|DESC)_([A-Z_]+)$/.exec(value);
  const key = match?.[2];
  if (!match || key === undefined || !Object.hasOwn(KEYS, key)) {
    throw new HttpError(
      400,
      `Invalid sort ${JSON.stringify(sort)}: accepted values are ${SORT_VALUES.join(', ')}`,
      'Pass one of the accepted values as the sort query parameter, or leave it out for ASC_CREATED.',
    );
  }
  const direction = match[1];
  return `ORDER BY ${KEYS[key]} ${direction} NULLS LAST, id ${direction}`;
}
