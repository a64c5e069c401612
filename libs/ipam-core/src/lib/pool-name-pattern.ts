/**
 * Pool-name wildcards of the selection annotations (ipam.md §3.3 rule 3): a name containing `*`, `?`, or both `[`
 * and `]` is a glob with Go `filepath.Match` semantics (`*`, `?`, `[...]` classes with ranges and `^` negation,
 * `\` escapes).
 */
export function isPoolNamePattern(name: string): boolean {
  return name.includes('*') || name.includes('?') || (name.includes('[') && name.includes(']'));
}

function matchClass(
  pattern: string,
  start: number,
  ch: string,
): { matched: boolean; end: number } | undefined {
  let i = start;
  const readChar = (): string | undefined => {
    let c = pattern[i];
    if (c === '\\') {
      i++;
      c = pattern[i];
    }
    if (c === undefined) return undefined;
    i++;
    return c;
  };
  let negate = false;
  if (pattern[i] === '^') {
    negate = true;
    i++;
  }
  let matched = false;
  let first = true;
  while (first || (i < pattern.length && pattern[i] !== ']')) {
    first = false;
    const lo = readChar();
    if (lo === undefined) return undefined;
    let hi = lo;
    if (pattern[i] === '-' && pattern[i + 1] !== undefined && pattern[i + 1] !== ']') {
      i++;
      const upper = readChar();
      if (upper === undefined) return undefined;
      hi = upper;
    }
    if (lo <= ch && ch <= hi) matched = true;
  }
  if (pattern[i] !== ']') return undefined;
  return { matched: matched !== negate, end: i + 1 };
}

function matchFrom(pattern: string, p: number, name: string, n: number): boolean {
  while (p < pattern.length) {
    const c = pattern[p] as string;
    if (c === '*') {
      for (let k = n; k <= name.length; k++) {
        if (k > n && name[k - 1] === '/') break;
        if (matchFrom(pattern, p + 1, name, k)) return true;
      }
      return false;
    }
    if (n >= name.length) return false;
    const ch = name[n] as string;
    if (c === '?') {
      if (ch === '/') return false;
    } else if (c === '[') {
      const cls = matchClass(pattern, p + 1, ch);
      if (cls === undefined || !cls.matched) return false;
      p = cls.end;
      n++;
      continue;
    } else if (c === '\\') {
      p++;
      if (pattern[p] !== ch) return false;
    } else if (c !== ch) {
      return false;
    }
    p++;
    n++;
  }
  return n === name.length;
}

/** Whether `name` matches the glob `pattern` (a malformed pattern matches nothing). */
export function matchPoolNamePattern(pattern: string, name: string): boolean {
  return matchFrom(pattern, 0, name, 0);
}
