import { sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import type { Executor } from '../db/transaction.ts';
import type { ApplicationDetails, Member, PendingApplication, RosterEntry } from './communes.ts';

// Membership reads that show people's names: a read view (ADR 0013), the one place the
// communes context joins identity's accounts. Writes stay in membership.repository.ts.

const membersQuery = prepared<
  { handle: string; display_name: string; role: Member['role']; joined_at: string },
  [communeId: string]
>((db) =>
  db
    .selectFrom('memberships')
    .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
    .select([
      'accounts.handle',
      'accounts.display_name',
      'memberships.role',
      'memberships.joined_at',
    ])
    .where('memberships.commune_id', '=', '')
    .orderBy('memberships.joined_at')
    .orderBy('accounts.handle'),
);

const rosterQuery = prepared<RosterEntry, [communeId: string]>((db) =>
  db
    .selectFrom('memberships')
    .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
    .select(['accounts.id', 'accounts.handle', 'memberships.role'])
    .where('memberships.commune_id', '=', '')
    .orderBy('accounts.handle'),
);

// The order the member list shows: earliest joined, then handle. The limit is a literal, not
// a placeholder, so that the only value to bind is the commune.
const eldestQuery = prepared<{ account_id: string; handle: string }, [communeId: string]>((db) =>
  db
    .selectFrom('memberships')
    .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
    .select(['memberships.account_id', 'accounts.handle'])
    .where('memberships.commune_id', '=', '')
    .orderBy('memberships.joined_at')
    .orderBy('accounts.handle')
    .limit(sql.lit(1)),
);

const applicationQuery = prepared<
  {
    id: string;
    account_id: string;
    handle: string;
    message: string;
    status: ApplicationDetails['status'];
  },
  [applicationId: string, communeId: string]
>((db) =>
  db
    .selectFrom('applications')
    .innerJoin('accounts', 'accounts.id', 'applications.account_id')
    .select([
      'applications.id',
      'applications.account_id',
      'accounts.handle',
      'applications.message',
      'applications.status',
    ])
    .where('applications.id', '=', '')
    .where('applications.commune_id', '=', ''),
);

export function membershipView(db: Executor, dialect: Dialect) {
  return {
    async members(communeId: string): Promise<Member[]> {
      const rows = await membersQuery(db, dialect, communeId);
      return rows.map((r) => ({
        handle: r.handle,
        displayName: r.display_name,
        role: r.role,
        joinedAt: r.joined_at,
      }));
    },

    async roster(communeId: string): Promise<RosterEntry[]> {
      const rows = await rosterQuery(db, dialect, communeId);
      return rows.map((r) => ({ id: r.id, handle: r.handle, role: r.role }));
    },

    /** The longest-standing member, whom the last steward's leaving promotes. */
    async eldest(communeId: string): Promise<{ accountId: string; handle: string } | undefined> {
      const [r] = await eldestQuery(db, dialect, communeId);
      return r && { accountId: r.account_id, handle: r.handle };
    },

    async applicationDetails(
      communeId: string,
      id: string,
    ): Promise<ApplicationDetails | undefined> {
      const [r] = await applicationQuery(db, dialect, id, communeId);
      return (
        r && {
          id: r.id,
          accountId: r.account_id,
          handle: r.handle,
          message: r.message,
          status: r.status,
        }
      );
    },

    /** Oldest first; `after` is the id the previous page ended on. */
    async pendingApplications(
      communeId: string,
      limit: number,
      after?: string,
    ): Promise<PendingApplication[]> {
      let query = db
        .selectFrom('applications')
        .innerJoin('accounts', 'accounts.id', 'applications.account_id')
        .select([
          'applications.id',
          'accounts.handle',
          'accounts.display_name',
          'applications.message',
          'applications.created_at',
        ])
        .where('applications.commune_id', '=', communeId)
        .where('applications.status', '=', 'pending');
      if (after) query = query.where('applications.id', '>', after);
      const rows = await query
        .orderBy('applications.id')
        .limit(limit + 1)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        handle: r.handle,
        displayName: r.display_name,
        message: r.message,
        createdAt: r.created_at,
      }));
    },
  };
}
