// Read view for the network map: communes (communes context) and active alliances (network).
import { sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Executor } from '../db/transaction.ts';
import type { NetworkMap, NetworkQuery } from './map.ts';

export function networkMapView(db: Executor, dialect: Dialect) {
  const hasTag = (tag: string) =>
    dialect === 'postgres'
      ? sql<boolean>`c.tags::jsonb @> jsonb_build_array(cast(${tag} as text))`
      : sql<boolean>`exists (select 1 from json_each(c.tags) where json_each.value = ${tag})`;

  // The communes list's rule: public ones for everyone, any other only to its members.
  const visible = (viewerId: string | null, f: NetworkQuery) => {
    let q = db
      .selectFrom('communes as c')
      .leftJoin('memberships as m', (join) =>
        join.onRef('m.commune_id', '=', 'c.id').on('m.account_id', '=', viewerId ?? ''),
      )
      .where((eb) => eb.or([eb('c.visibility', '=', 'public'), eb('m.role', 'is not', null)]));
    if (f.category) q = q.where('c.category', '=', f.category);
    if (f.tag) q = q.where(hasTag(f.tag));
    return q;
  };

  return {
    /**
     * One page of visible communes in handle order, and the active alliances this page
     * completes: both ends visible, the later end (by handle) on this page. So each edge comes
     * once, and pages 1..k together hold every alliance among their communes.
     */
    async map(viewerId: string | null, f: NetworkQuery): Promise<NetworkMap> {
      let page = visible(viewerId, f);
      if (f.before !== undefined) page = page.where('c.handle', '>', f.before);
      const rows = await page
        .select(['c.handle', 'c.name', 'c.category', 'c.tags'])
        .orderBy('c.handle')
        .limit(f.limit + 1)
        .execute();
      const nodes = rows.slice(0, f.limit);
      const next = rows.length > f.limit ? (nodes[nodes.length - 1]?.handle ?? null) : null;
      const handles = nodes.map((n) => n.handle);
      const ids = () => visible(viewerId, f).select('c.id');
      const edges =
        handles.length === 0
          ? []
          : await db
              .selectFrom('alliances as al')
              .innerJoin('communes as ca', 'ca.id', 'al.commune_a')
              .innerJoin('communes as cb', 'cb.id', 'al.commune_b')
              .where('al.status', '=', 'active')
              .where('al.commune_a', 'in', ids())
              .where('al.commune_b', 'in', ids())
              .where((eb) =>
                eb.or([
                  eb.and([
                    eb('ca.handle', 'in', handles),
                    eb('cb.handle', '<', eb.ref('ca.handle')),
                  ]),
                  eb.and([
                    eb('cb.handle', 'in', handles),
                    eb('ca.handle', '<', eb.ref('cb.handle')),
                  ]),
                ]),
              )
              .select(['ca.handle as a', 'cb.handle as b', 'al.active_since as since'])
              .orderBy('ca.handle')
              .orderBy('cb.handle')
              .execute();
      return {
        nodes: nodes.map((n) => ({
          handle: n.handle,
          name: n.name,
          category: n.category,
          tags: JSON.parse(n.tags) as string[],
        })),
        // An active alliance always has its start; requested_at would be wrong, so none is null.
        edges: edges.flatMap((e) => (e.since === null ? [] : [{ a: e.a, b: e.b, since: e.since }])),
        next,
      };
    },
  };
}
export type NetworkMapView = ReturnType<typeof networkMapView>;
