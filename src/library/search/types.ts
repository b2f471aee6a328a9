/** Shared by the searchQuery lexer, parser and compiler. */
import { HttpError } from '../../http/errors';

/** The schema types an ImageKit custom metadata field can have. */
export type CustomFieldType = 'Text' | 'Textarea' | 'Number' | 'Date' | 'Boolean' | 'SingleSelect' | 'MultiSelect';

/** Bounds on what one query may ask for, so a request cannot make SQLite do unbounded work. */
export const SEARCH_LIMITS = {
  queryLength: 4000,
  comparisons: 100,
  nesting: 20,
  listItems: 100,
  /**
   * SQLite in a Durable Object takes at most 100 bound values per statement; the caller keeps the other 10
   * for its own filters and paging. A list is bound as one JSON value, so this rarely binds before the others.
   */
  params: 90,
} as const;

const HELP =
  'A searchQuery is comparisons like `name = "photo.jpg"` joined with AND / OR and grouped with ( ); ' +
  'strings are double-quoted.';

/** A 400 that points at a place in the query; `offset` is 0-based, the message shows it 1-based. */
export function searchError(offset: number, message: string): HttpError {
  return new HttpError(400, `Invalid searchQuery at position ${offset + 1}: ${message}`, HELP);
}
