import { z } from 'zod';
import { communeListQuery } from '../communes/communes.ts';
import { handleSchema } from '../identity/identity.ts';

/** Nodes per page of the map: enough for a small network in one answer, bounded for a large one. */
export const MAP_PAGE_MAX = 200;

/**
 * The map's filters (the same tag and category rules as the communes list) and its paging:
 * nodes in handle order, `before` is the last handle of the previous page.
 */
export const networkQuery = communeListQuery.pick({ tag: true, category: true }).extend({
  limit: z.coerce.number().int().min(1).max(MAP_PAGE_MAX).default(MAP_PAGE_MAX),
  before: handleSchema.optional(),
});
export type NetworkQuery = z.infer<typeof networkQuery>;

export type NetworkNode = { handle: string; name: string; category: string; tags: string[] };
export type NetworkEdge = { a: string; b: string; since: string };
export type NetworkMap = { nodes: NetworkNode[]; edges: NetworkEdge[]; next: string | null };
