/**
 * The search helper: common filters written as ImageKit's query language (`name : "cat" AND tags IN ["a"]`),
 * joined with whatever the user typed, so the box always shows the query the API receives.
 */
export interface Filters {
  name?: string;
  fileType?: '' | 'image' | 'non-image';
  format?: string;
  tags?: string[];
  /** `createdAt` within the last …: `"7d"` as ImageKit writes relative times. */
  createdWithin?: '' | '1d' | '7d' | '30d';
  /** Larger than this many megabytes. */
  minSizeMb?: number | null;
  private?: '' | 'true' | 'false';
}

/** A double-quoted string of the query language (`\"` and `\\` are its only escapes). */
export const quote = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export function filtersQuery(filters: Filters): string {
  const terms: string[] = [];
  if (filters.name?.trim()) terms.push(`name : ${quote(filters.name.trim())}`);
  if (filters.fileType === 'image') terms.push('type = "image"');
  if (filters.fileType === 'non-image') terms.push('type = "non-image"');
  if (filters.format?.trim()) terms.push(`format = ${quote(filters.format.trim().toLowerCase())}`);
  const tags = (filters.tags ?? []).map((t) => t.trim()).filter(Boolean);
  if (tags.length) terms.push(`tags IN [${tags.map(quote).join(', ')}]`);
  if (filters.createdWithin) terms.push(`createdAt > ${quote(filters.createdWithin)}`);
  if (filters.minSizeMb && filters.minSizeMb > 0) terms.push(`size > ${quote(`${filters.minSizeMb}mb`)}`);
  if (filters.private) terms.push(`private = ${filters.private}`);
  return terms.join(' AND ');
}

/** The typed query and the helper's terms, both required. */
export function combineQueries(typed: string, helper: string): string {
  const a = typed.trim();
  const b = helper.trim();
  if (!a) return b;
  if (!b) return a;
  return `(${a}) AND ${b}`;
}
