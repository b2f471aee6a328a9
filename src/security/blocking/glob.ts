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

/** A checked pattern: its segments, `null` standing for `**`. */
export type Glob = readonly (string | null)[];

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
  return pattern.split('/').map((s) => (s === '**' ? GLOBSTAR : s)).filter((s, i, all) => !(s === GLOBSTAR && all[i - 1] === GLOBSTAR));
}

export function globMatches(glob: Glob, path: string): boolean {
  const parts = path.split('/');
  // can[i][j]: glob segments from i on match path segments from j on; filled from the end.
  let next = new Array<boolean>(parts.length + 1).fill(false);
  next[parts.length] = true;
  for (let i = glob.length - 1; i >= 0; i--) {
    const segment = glob[i]!;
    const row = new Array<boolean>(parts.length + 1).fill(false);
    for (let j = parts.length; j >= 0; j--) {
      if (segment !== GLOBSTAR) row[j] = j < parts.length && next[j + 1]! && segmentMatches(segment, parts[j]!);
      // A trailing `**` is what lies under the folder, so at least one segment.
      else if (i === glob.length - 1) row[j] = j < parts.length;
      else row[j] = next[j]! || (j < parts.length && row[j + 1]!);
    }
    next = row;
  }
  return next[0]!;
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
