import type { z } from 'zod';
import { communeListQuery } from '../communes/communes.ts';

/** The map's filters: the same tag and category rules as the communes list. */
export const networkQuery = communeListQuery.pick({ tag: true, category: true });
export type NetworkQuery = z.infer<typeof networkQuery>;

export type NetworkNode = { handle: string; name: string; category: string; tags: string[] };
export type NetworkEdge = { a: string; b: string; since: string };
export type NetworkMap = { nodes: NetworkNode[]; edges: NetworkEdge[] };
