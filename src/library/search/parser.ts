/**
 * Recursive-descent parser for ImageKit's searchQuery (its documented search language):
 *
 *   query      := or END
 *   or         := and ( OR and )*
 *   and        := primary ( AND primary )*              AND binds tighter than OR
 *   primary    := "(" or ")" | comparison
 *   comparison := field operator
 *   field      := word | string                         dotted names ("customMetadata.x") must be quoted
 *   operator   := ( "=" | ":" | "<" | "<=" | ">" | ">=" | NOT "=" | HAS ) value
 *               | ( IN | NOT IN ) "[" value ( "," value )* "]"
 *               | EXISTS | NOT EXISTS
 *   value      := string | number | TRUE | FALSE
 *
 * Keywords are case-insensitive. The parser knows nothing about fields: which field takes which operator
 * and value is checked by the compiler.
 */
import { tokenize, type Token } from './lexer';
import { SEARCH_LIMITS, searchError } from './types';

export type Operator = '=' | ':' | '<' | '<=' | '>' | '>=' | 'IN' | 'NOT IN' | 'NOT =' | 'HAS' | 'EXISTS' | 'NOT EXISTS';

export type Value =
  | { kind: 'string'; value: string; position: number }
  | { kind: 'number'; value: number; position: number }
  | { kind: 'boolean'; value: boolean; position: number };

export interface Comparison {
  kind: 'comparison';
  field: string;
  /** 0-based offsets of the field name and of the operator, for error messages. */
  position: number;
  operatorPosition: number;
  operator: Operator;
  /** One value for `=` and the like, the list for IN / NOT IN, none for EXISTS / NOT EXISTS. */
  values: Value[];
}

export interface Group {
  kind: 'and' | 'or';
  /** Two or more. */
  children: SearchNode[];
}

export type SearchNode = Comparison | Group;

export function parseSearch(query: string): SearchNode {
  if (query.length > SEARCH_LIMITS.queryLength) {
    throw searchError(SEARCH_LIMITS.queryLength, `the query is longer than ${SEARCH_LIMITS.queryLength} characters`);
  }
  return new Parser(tokenize(query)).parseQuery();
}

const SCALAR_OPERATORS: ReadonlySet<string> = new Set(['=', ':', '<', '<=', '>', '>=']);
const OPERATOR_LIST = '=, :, <, <=, >, >=, IN, NOT IN, NOT =, HAS, EXISTS or NOT EXISTS';

class Parser {
  private index = 0;
  private comparisons = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseQuery(): SearchNode {
    const node = this.parseOr();
    const token = this.peek();
    if (token.kind !== 'end') {
      const what = token.kind === 'symbol' && token.value === ')' ? 'a ")" without a matching "("' : found(token);
      throw searchError(token.start, `expected AND, OR or the end of the query, found ${what}`);
    }
    return node;
  }

  private parseOr(): SearchNode {
    return this.parseJoined('OR', () => this.parseAnd());
  }

  private parseAnd(): SearchNode {
    return this.parseJoined('AND', () => this.parsePrimary());
  }

  /** One or more `operand`s joined by `keyword`; AND binds tighter because parseOr's operands are ANDs. */
  private parseJoined(keyword: 'AND' | 'OR', operand: () => SearchNode): SearchNode {
    const children = [operand()];
    while (this.isKeyword(this.peek(), keyword)) {
      this.index++;
      children.push(operand());
    }
    return children.length === 1 ? children[0]! : { kind: keyword === 'AND' ? 'and' : 'or', children };
  }

  private parsePrimary(): SearchNode {
    const token = this.peek();
    if (token.kind === 'symbol' && token.value === '(') {
      if (this.depth >= SEARCH_LIMITS.nesting) {
        throw searchError(token.start, `parentheses are nested more than ${SEARCH_LIMITS.nesting} levels deep`);
      }
      this.index++;
      this.depth++;
      const inner = this.parseOr();
      this.expectSymbol(')', 'AND, OR or ")"', ` (the "(" at position ${token.start + 1} is not closed)`);
      this.depth--;
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): Comparison {
    const token = this.next();
    const isField = token.kind === 'string' || (token.kind === 'word' && !KEYWORDS.has(token.value.toUpperCase()));
    if (!isField) throw this.expected('a field name or "("', token);
    if (token.kind === 'word' && token.value.includes('.')) {
      throw searchError(token.start, `field names with a dot must be double-quoted, as in "${token.value}"`);
    }
    if (++this.comparisons > SEARCH_LIMITS.comparisons) {
      throw searchError(token.start, `the query has more than ${SEARCH_LIMITS.comparisons} comparisons`);
    }
    const operatorToken = this.peek();
    const operator = this.parseOperator();
    const values =
      operator === 'EXISTS' || operator === 'NOT EXISTS'
        ? []
        : operator === 'IN' || operator === 'NOT IN'
          ? this.parseList()
          : [this.parseValue()];
    return {
      kind: 'comparison',
      field: token.value,
      position: token.start,
      operatorPosition: operatorToken.start,
      operator,
      values,
    };
  }

  private parseOperator(): Operator {
    const token = this.next();
    if (token.kind === 'symbol' && SCALAR_OPERATORS.has(token.value)) return token.value as Operator;
    if (this.isKeyword(token, 'IN')) return 'IN';
    if (this.isKeyword(token, 'HAS')) return 'HAS';
    if (this.isKeyword(token, 'EXISTS')) return 'EXISTS';
    if (this.isKeyword(token, 'NOT')) {
      const after = this.next();
      if (after.kind === 'symbol' && after.value === '=') return 'NOT =';
      if (this.isKeyword(after, 'IN')) return 'NOT IN';
      if (this.isKeyword(after, 'EXISTS')) return 'NOT EXISTS';
      throw this.expected('=, IN or EXISTS', after);
    }
    throw this.expected(`an operator (${OPERATOR_LIST})`, token);
  }

  private parseList(): Value[] {
    this.expectSymbol('[', '"["');
    const values: Value[] = [];
    for (;;) {
      const item = this.parseValue();
      if (values.length === SEARCH_LIMITS.listItems) {
        throw searchError(item.position, `a list has more than ${SEARCH_LIMITS.listItems} values`);
      }
      values.push(item);
      const token = this.next();
      if (token.kind === 'symbol' && token.value === ']') return values;
      if (!(token.kind === 'symbol' && token.value === ',')) throw this.expected('"," or "]"', token);
    }
  }

  private parseValue(): Value {
    const token = this.next();
    if (token.kind === 'string') return { kind: 'string', value: token.value, position: token.start };
    if (token.kind === 'number') return { kind: 'number', value: token.value, position: token.start };
    if (this.isKeyword(token, 'TRUE') || this.isKeyword(token, 'FALSE')) {
      return { kind: 'boolean', value: this.isKeyword(token, 'TRUE'), position: token.start };
    }
    const hint = token.kind === 'word' ? ' (strings must be double-quoted)' : '';
    throw this.expected('a value', token, hint);
  }

  private expectSymbol(symbol: string, what: string, hint = ''): void {
    const token = this.next();
    if (!(token.kind === 'symbol' && token.value === symbol)) throw this.expected(what, token, hint);
  }

  /** "expected X after "<previous token>", found Y", at Y. */
  private expected(what: string, token: Token, hint = '') {
    const previous = this.tokens[this.tokens.indexOf(token) - 1];
    const after = previous ? ` after ${quote(previous.text)}` : '';
    return searchError(token.start, `expected ${what}${after}, found ${found(token)}${hint}`);
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'word' && token.value.toUpperCase() === keyword;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  /** The end token is never consumed, so reading past it keeps returning it. */
  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index++;
    return token;
  }
}

const KEYWORDS: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT', 'IN', 'HAS', 'EXISTS', 'TRUE', 'FALSE']);

function found(token: Token): string {
  return token.kind === 'end' ? 'end of query' : quote(token.text);
}

/** A token as shown in a message: strings keep their own quotes, long ones are cut. */
function quote(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return short.startsWith('"') ? short : `"${short}"`;
}
