import type { Database } from './schema.ts';

/** The bounded contexts that own tables: each is a folder under src/. */
export type Context =
  | 'identity'
  | 'communes'
  | 'discussions'
  | 'ledger'
  | 'decisions'
  | 'inventory'
  | 'network'
  | 'search'
  | 'jobs'
  | 'events'
  | 'notifications';

/**
 * Which context owns each table: the one map the boundary test reads (ADR 0013). A
 * repository touches only its own context's tables; a `*.view.ts` may read any. A table
 * added to the schema without an owner here fails the type check; a table the migrations
 * create outside the Kysely schema fails the boundary test.
 */
export const TABLE_CONTEXT = {
  handles: 'identity',
  accounts: 'identity',
  sessions: 'identity',
  sign_in_attempts: 'identity',
  sign_up_attempts: 'identity',
  communes: 'communes',
  memberships: 'communes',
  applications: 'communes',
  invites: 'communes',
  threads: 'discussions',
  comments: 'discussions',
  filters: 'discussions',
  post_edits: 'discussions',
  moderation_log: 'discussions',
  thread_reads: 'discussions',
  ledger_currencies: 'ledger',
  ledger_accounts: 'ledger',
  ledger_transfers: 'ledger',
  ledger_limit_changes: 'ledger',
  proposals: 'decisions',
  votes: 'decisions',
  anonymous_ballots: 'decisions',
  ballot_receipts: 'decisions',
  delegations: 'decisions',
  governance_rules: 'decisions',
  alliance_consents: 'decisions',
  items: 'inventory',
  item_versions: 'inventory',
  item_files: 'inventory',
  item_thanks: 'inventory',
  item_conversations: 'inventory',
  alliances: 'network',
  affinity_profiles: 'network',
  affinity_terms: 'network',
  affinity_tags: 'network',
  affinity_ties: 'network',
  affinity_reach: 'network',
  affinity_meta: 'network',
  // Written by triggers (migration 0012), read by search.view.ts; not in the Kysely schema.
  search_docs: 'search',
  search_fts: 'search',
  jobs: 'jobs',
  domain_events: 'events',
  event_deliveries: 'events',
  notifications: 'notifications',
  notification_settings: 'notifications',
  notification_commune_settings: 'notifications',
  email_verifications: 'notifications',
} as const satisfies { [T in keyof Database]-?: Context } & Record<string, Context>;
