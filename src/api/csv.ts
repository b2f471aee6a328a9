/**
 * CSV answers, quoted as RFC 4180 says: a field with a comma, quote, CR or LF is quoted and its quotes doubled
 * (lines end in LF, which every spreadsheet reads). A cell a spreadsheet would take for a formula
 * (=, +, -, @, tab or CR first) gets a leading ' — analytics export referrers and user agents anyone can send.
 * (csv-stringify needs Node's Buffer, and its browser build brings a polyfill: 18 KB gzip for these few lines.)
 */
import { oneOf, optional } from '../validate/fields';

/** `format=csv`, or an Accept header that names text/csv. */
export function wantsCsv(request: Request, query: URLSearchParams): boolean {
  const format = optional(oneOf(['csv', 'json'] as const))(query.get('format') ?? undefined, 'format');
  return format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(request.headers.get('Accept') ?? ''));
}

export function csvResponse(filename: string, columns: string[], rows: Record<string, unknown>[]): Response {
  return new Response(toCsv(columns, rows), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}

/** A header line and one line per row, each ending in LF. */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const lines = [columns, ...rows.map((row) => columns.map((column) => row[column]))];
  return lines.map((cells) => cells.map(field).join(',') + '\n').join('');
}

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
