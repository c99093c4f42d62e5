import { sql, type Kysely } from 'kysely';

// Decisions (docs/adr/0008-decisions-and-actions.md) and the job queue that closes them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('commune_id', 'text', (c) => c.notNull().references('communes.id'))
    // Null: opened by the commune itself (an application opens its admission proposal).
    .addColumn('author_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('quorum', 'double precision', (c) => c.notNull())
    .addColumn('threshold', 'double precision')
    .addColumn('budget', 'integer')
    .addColumn('anonymous', 'integer', (c) => c.notNull())
    .addColumn('hide_results', 'text', (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // Every vote bumps it: votes and the close queue on this row, so none slips past a close.
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('action_type', 'text')
    .addColumn('action_params', 'text')
    .addColumn('subject_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('action_executed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('action_result', 'text')
    .addColumn('author_decision', 'text')
    .addColumn('tally', 'text')
    .addColumn('outcome', 'text')
    .addColumn('outcome_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('outcome_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createIndex('proposals_commune')
    .on('proposals')
    .columns(['commune_id', 'id'])
    .execute();
  await db.schema
    .createIndex('proposals_commune_status')
    .on('proposals')
    .columns(['commune_id', 'status', 'id'])
    .execute();

  await db.schema
    .createTable('votes')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('voter_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('vote', 'text', (c) => c.notNull())
    .addColumn('cast_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('votes_pk', ['proposal_id', 'voter_id'])
    .execute();

  // Anonymous ballots and the record of who voted share no id and no time. Each vote
  // re-deals the proposal's ballots with fresh random ids in random order (see votes.repository.ts).
  await db.schema
    .createTable('anonymous_ballots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('vote', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('anonymous_ballots_proposal')
    .on('anonymous_ballots')
    .column('proposal_id')
    .execute();
  await db.schema
    .createTable('ballot_receipts')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('voter_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addPrimaryKeyConstraint('ballot_receipts_pk', ['proposal_id', 'voter_id'])
    .execute();

  await db.schema
    .createTable('delegations')
    .addColumn('commune_id', 'text', (c) => c.notNull().references('communes.id'))
    .addColumn('from_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('to_id', 'text', (c) => c.notNull().references('accounts.id'))
    // '' is "every topic": a key column cannot be null.
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('delegations_pk', ['commune_id', 'from_id', 'topic'])
    .addCheckConstraint('delegations_not_self', sql`from_id <> to_id`)
    .execute();

  await db.schema
    .createTable('governance_rules')
    .addColumn('commune_id', 'text', (c) => c.notNull().references('communes.id'))
    .addColumn('action_type', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('threshold', 'double precision')
    .addColumn('quorum', 'double precision', (c) => c.notNull())
    .addColumn('duration_hours', 'integer', (c) => c.notNull())
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('governance_rules_pk', ['commune_id', 'action_type'])
    .execute();

  // A commune's consent to form or end an alliance; the network context pairs them up.
  await db.schema
    .createTable('alliance_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('commune_id', 'text', (c) => c.notNull().references('communes.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('communes.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('trade_limit', 'bigint')
    .addColumn('rate', 'double precision')
    .addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alliance_consents_pair')
    .on('alliance_consents')
    .columns(['commune_id', 'partner_id', 'id'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('jobs_kind_key')
    .on('jobs')
    .columns(['kind', 'key'])
    .unique()
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
}
