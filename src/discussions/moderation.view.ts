import type { Db } from '../db/database.ts';
import type { ModerationAction } from '../db/schema.editing.ts';

// The moderation log as members read it (ADR 0023): stewards' names come from identity's
// accounts, thread titles from threads (a thread its author deleted since shows no title).

export type ModerationEntry = {
  id: string;
  action: ModerationAction;
  thread: { id: string; title: string | null };
  comment: string | null;
  steward: { handle: string; displayName: string };
  reason: string;
  createdAt: string;
};

export function moderationView(db: Db) {
  return {
    /** Newest first, before an optional cursor (ids are time-ordered). */
    async log(communeId: string, before: string | undefined, limit: number) {
      let q = db
        .selectFrom('moderation_log as l')
        .innerJoin('accounts as a', 'a.id', 'l.actor_id')
        .leftJoin('threads as t', 't.id', 'l.thread_id')
        .select([
          'l.id',
          'l.action',
          'l.thread_id',
          't.title',
          'l.comment_id',
          'a.handle',
          'a.display_name',
          'l.reason',
          'l.created_at',
        ])
        .where('l.commune_id', '=', communeId);
      if (before !== undefined) q = q.where('l.id', '<', before);
      const rows = await q.orderBy('l.id', 'desc').limit(limit).execute();
      return rows.map((r): ModerationEntry => ({
        id: r.id,
        action: r.action,
        thread: { id: r.thread_id, title: r.title },
        comment: r.comment_id,
        steward: { handle: r.handle, displayName: r.display_name },
        reason: r.reason,
        createdAt: r.created_at,
      }));
    },
  };
}
