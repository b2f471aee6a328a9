/**
 * CSV answers (csv-stringify): RFC 4180 quoting, and a cell that a spreadsheet would read as a formula (=, +, -,
 * @, tab, CR at its start) is prefixed with ' — analytics export referrers and user agents anyone can send.
 */
import { stringify } from 'csv-stringify/sync';
import { oneOf, optional } from '../validate/fields';

/** `format=csv`, or an Accept header that names text/csv. */
export function wantsCsv(request: Request, query: URLSearchParams): boolean {
  const format = optional(oneOf(['csv', 'json'] as const))(query.get('format') ?? undefined, 'format');
  return format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(request.headers.get('Accept') ?? ''));
}

export function csvResponse(filename: string, columns: string[], rows: Record<string, unknown>[]): Response {
  const body = stringify(rows, { header: true, columns, cast: { string: defuse } });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}

const defuse = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
