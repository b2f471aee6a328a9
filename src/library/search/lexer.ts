/**
 * Splits a searchQuery into tokens, each with the offsets of its characters in the query so that errors can
 * point at them. Keywords (AND, IN, true, ...) come out as plain words; the parser decides what they mean.
 */
import { searchError } from './types';

export type Punctuation = '=' | ':' | '<' | '<=' | '>' | '>=' | '(' | ')' | '[' | ']' | ',';

interface Span {
  /** 0-based offset of the first character. */
  start: number;
  /** 0-based offset just past the last character. */
  end: number;
  /** The token as written in the query. */
  text: string;
}

export type Token =
  | (Span & { kind: 'string'; value: string })
  | (Span & { kind: 'number'; value: number })
  | (Span & { kind: 'word'; value: string })
  | (Span & { kind: 'symbol'; value: Punctuation })
  | (Span & { kind: 'end' });

/** Characters of a bare word or number: field names (`createdAt`), keywords, numbers (`-1.5`). */
const WORD_CHAR = /[A-Za-z0-9_.\-]/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const SINGLE: ReadonlySet<string> = new Set(['=', ':', '(', ')', '[', ']', ',']);

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      const token = readString(query, i);
      tokens.push(token);
      i = token.end;
    } else if (c === '<' || c === '>') {
      const value: Punctuation = query[i + 1] === '=' ? (c === '<' ? '<=' : '>=') : c;
      tokens.push({ kind: 'symbol', value, start: i, end: i + value.length, text: value });
      i += value.length;
    } else if (SINGLE.has(c)) {
      tokens.push({ kind: 'symbol', value: c as Punctuation, start: i, end: i + 1, text: c });
      i++;
    } else if (WORD_CHAR.test(c)) {
      let end = i;
      while (end < query.length && WORD_CHAR.test(query[end]!)) end++;
      const text = query.slice(i, end);
      if (NUMBER.test(text) && !Number.isFinite(Number(text))) throw searchError(i, `the number ${text} is too large`);
      tokens.push(
        NUMBER.test(text)
          ? { kind: 'number', value: Number(text), start: i, end, text }
          : { kind: 'word', value: text, start: i, end, text },
      );
      i = end;
    } else {
      // `!=` is the usual guess for "not equal"; say what the language has instead.
      const hint = c === '!' ? ' (use NOT = or NOT IN)' : c === "'" ? ' (strings are double-quoted)' : '';
      throw searchError(i, `unexpected character "${c}"${hint}`);
    }
  }
  tokens.push({ kind: 'end', start: query.length, end: query.length, text: '' });
  return tokens;
}

/** A double-quoted string starting at `start`; `\"` and `\\` are the only escapes. */
function readString(query: string, start: number): Token {
  let value = '';
  let i = start + 1;
  while (i < query.length) {
    const c = query[i]!;
    if (c === '"') {
      return { kind: 'string', value, start, end: i + 1, text: query.slice(start, i + 1) };
    }
    if (c === '\\') {
      const next = query[i + 1];
      if (next !== '"' && next !== '\\') {
        throw searchError(i, 'unsupported escape in a string: only \\" and \\\\ are allowed');
      }
      value += next;
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  throw searchError(start, 'unterminated string: expected a closing " before the end of the query');
}
