// Shapes come from the OpenAPI document (schema.gen.ts).
import { api, query, seg, type ApiResult } from './client.ts';
import type { Proposal } from './decisions.ts';
import type { Schema } from './types.ts';

export type Alliance = Schema<'Alliance'>;
export type NetworkMap = Schema<'NetworkMap'>;
export type NetworkNode = Schema<'NetworkNode'>;
export type NetworkEdge = Schema<'NetworkEdge'>;

export type NetworkFilters = { tag: string; category: string };
export type AllianceTerms = { commune: string; tradeLimit: number; rate: number };

const base = (commune: string) => `/communes/${seg(commune)}`;

export const networkPaths = {
  alliances: (commune: string) => `${base(commune)}/alliances`,
};

/** The map draws at most this many communes; the page says when there were more. */
export const MAP_NODE_CAP = 1000;

/**
 * Follows the map's pages (each brings the alliances it completes) up to `cap` communes.
 * `complete` is false when more communes were left out.
 */
export async function loadNetwork(
  f: NetworkFilters,
  o: { cap?: number; signal?: AbortSignal } = {},
): Promise<ApiResult<{ nodes: NetworkNode[]; edges: NetworkEdge[]; complete: boolean }>> {
  const cap = o.cap ?? MAP_NODE_CAP;
  const nodes: NetworkNode[] = [];
  const edges: NetworkEdge[] = [];
  let before: string | null = null;
  for (;;) {
    const limit = String(Math.min(200, cap - nodes.length));
    const r: ApiResult<NetworkMap> = await api.get<NetworkMap>(
      `/network${query({ tag: f.tag, category: f.category, limit, before })}`,
      o.signal,
    );
    if (!r.ok) return r;
    nodes.push(...r.value.nodes);
    edges.push(...r.value.edges);
    before = r.value.next;
    if (!before) return { ok: true, value: { nodes, edges, complete: true } };
    if (nodes.length >= cap) return { ok: true, value: { nodes, edges, complete: false } };
  }
}

/**
 * Alliances change by decision, as limits do: these open a proposal whose method, threshold
 * and closing time come from the commune's governance.
 */
export const networkApi = {
  proposeAlliance: (
    commune: string,
    terms: AllianceTerms,
    body = '',
  ): Promise<ApiResult<Proposal>> =>
    api.post<Proposal>(`${base(commune)}/proposals`, {
      title: `Ally with @${terms.commune}`,
      body,
      action: { type: 'form_alliance', params: terms },
    }),
  proposeEnding: (commune: string, partner: string, body = ''): Promise<ApiResult<Proposal>> =>
    api.post<Proposal>(`${base(commune)}/proposals`, {
      title: `End the alliance with @${partner}`,
      body,
      action: { type: 'end_alliance', params: { commune: partner } },
    }),
};
