import { z } from 'zod';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(100).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

export type Page<T> = { items: T[]; next: string | null };

/** Repositories fetch limit + 1 rows; the extra row only tells whether a next page exists. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
