/**
 * Path globs of blocking rules, matched against a file path (percent-decoded, no leading slash):
 * - `*` is any run of characters within one path segment, `?` exactly one character other than `/`;
 * - `**` written as a whole segment is any number of whole segments, none included (`a/**` matches `a/x/y.jpg`
 *   and not `a` itself; `**\/*.svg` matches `x.svg` and `a/b/x.svg`);
 * - everything else is literal and case-sensitive, as delivery paths are.
 *
 * Matched segment by segment rather than compiled into a RegExp, as glob libraries do: anyone writes the path,
 * and a backtracking RegExp of several wildcards can take time exponential in their number. Here the work is at
 * most (pattern length × path length) character steps, and both are bounded.
 */
export const MAX_GLOB_LENGTH = 200;
const MAX_WILDCARDS = 10;
const GLOBSTAR = null;

/**
 * A checked pattern: its segments (`null` standing for `**`), and the literal text every match starts and ends
 * with, which turns most paths away before any segment is looked at.
 */
export interface Glob {
  segments: readonly (string | null)[];
  prefix: string;
  suffix: string;
}

/** Why `pattern` is not a glob this matcher takes, or null when it is. */
export function globProblem(pattern: string): string | null {
  if (pattern.length === 0 || pattern.length > MAX_GLOB_LENGTH) return `1 to ${MAX_GLOB_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return 'no control characters';
  if (pattern.startsWith('/')) return 'a path without a leading "/" (the file path as delivery URLs name it after the tenant)';
  const segments = pattern.split('/');
  if (segments.some((s) => s === '')) return 'no empty segments ("//" or a trailing "/")';
  if (segments.some((s) => s !== '**' && s.includes('**'))) return '"**" only as a whole segment (a/**/b.jpg); "*" within a segment';
  const wildcards = segments.reduce((n, s) => n + (s === '**' ? 1 : (s.match(/[*?]/g)?.length ?? 0)), 0);
  if (wildcards > MAX_WILDCARDS) return `at most ${MAX_WILDCARDS} wildcards`;
  return null;
}

/** The glob of a pattern globProblem accepts. */
export function compileGlob(pattern: string): Glob {
  const problem = globProblem(pattern);
  if (problem) throw new Error(`not a glob (${problem}): ${pattern}`);
  // Consecutive `**` mean what one does.
  const segments = pattern.split('/').map((s) => (s === '**' ? GLOBSTAR : s)).filter((s, i, all) => !(s === GLOBSTAR && all[i - 1] === GLOBSTAR));
  const first = pattern.search(/[*?]/);
  if (first < 0) return { segments, prefix: pattern, suffix: pattern };
  const last = Math.max(pattern.lastIndexOf('*'), pattern.lastIndexOf('?'));
  // After `**/` the `/` is not part of every match: `**/x.jpg` matches `x.jpg`.
  const suffix = pattern.slice(last + 1);
  return { segments, prefix: pattern.slice(0, first), suffix: pattern.slice(last - 1, last + 1) === '**' ? suffix.replace(/^\//, '') : suffix };
}

/** Whether the glob matches a path; `parts` is `path.split('/')`, which a caller matching many globs splits once. */
export function globMatches(glob: Glob, path: string, parts: readonly string[] = path.split('/')): boolean {
  if (!path.startsWith(glob.prefix) || !path.endsWith(glob.suffix)) return false;
  const { segments } = glob;
  const width = parts.length + 1;
  // Each (glob segment, path segment) pair is decided once (0 unknown, 1 matches, 2 does not); only `**` can
  // come back to a pair, so the table is made when one is met.
  let known: Uint8Array | undefined;
  const match = (i: number, j: number): boolean => {
    if (i === segments.length) return j === parts.length;
    const segment = segments[i]!;
    if (segment !== GLOBSTAR) return j < parts.length && segmentMatches(segment, parts[j]!) && match(i + 1, j + 1);
    // A trailing `**` is what lies under the folder, so at least one segment.
    if (i === segments.length - 1) return j < parts.length;
    known ??= new Uint8Array((segments.length + 1) * width);
    const cell = i * width + j;
    if (known[cell]) return known[cell] === 1;
    const result = match(i + 1, j) || (j < parts.length && match(i, j + 1));
    known[cell] = result ? 1 : 2;
    return result;
  };
  return match(0, 0);
}

/**
 * `*` and `?` within one segment: the classic matcher that, on a mismatch, only ever resumes from the last `*`
 * (one more character for it to take), which is enough when `*` is the only unbounded wildcard.
 */
function segmentMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
