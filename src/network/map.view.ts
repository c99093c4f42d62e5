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
    /** Visible communes and the active alliances whose both ends are among them. */
    async map(viewerId: string | null, f: NetworkQuery): Promise<NetworkMap> {
      const nodes = await visible(viewerId, f)
        .select(['c.handle', 'c.name', 'c.category', 'c.tags'])
        .orderBy('c.handle')
        .execute();
      const ids = () => visible(viewerId, f).select('c.id');
      const edges = await db
        .selectFrom('alliances as al')
        .innerJoin('communes as ca', 'ca.id', 'al.commune_a')
        .innerJoin('communes as cb', 'cb.id', 'al.commune_b')
        .where('al.status', '=', 'active')
        .where('al.commune_a', 'in', ids())
        .where('al.commune_b', 'in', ids())
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
      };
    },
  };
}
export type NetworkMapView = ReturnType<typeof networkMapView>;
