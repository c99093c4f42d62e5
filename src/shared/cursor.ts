// List cursors: an opaque base64url JSON array of strings (the sort key of a page's last row).
import { isStorableText } from './text.ts';

/** A tuple of `N` strings (cursors are short, so N stays small). */
export type CursorParts<N extends number, A extends string[] = []> = A['length'] extends N
  ? A
  : CursorParts<N, [...A, string]>;

/** Parts must be storable text (no NUL, no lone surrogate), or the cursor will not decode. */
export const encodeCursor = (parts: readonly string[]): string =>
  Buffer.from(JSON.stringify(parts)).toString('base64url');

/**
 * The parts of a cursor this codec made with `arity` parts, or undefined for anything else:
 * a stray value must become a 400, never reach SQL or throw.
 */
export function decodeCursor<N extends number>(
  cursor: string,
  arity: N,
): CursorParts<N> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(v) || v.length !== arity) return undefined;
  if (!v.every((p): p is string => typeof p === 'string' && isStorableText(p))) return undefined;
  return v as CursorParts<N>;
}
