// Table shapes as Kysely sees them. Times are ISO-8601 text on both databases so that
// ordering and comparison behave identically; lists of strings are JSON text.
import type { ColumnType, Generated } from 'kysely';
import type { AffinityTables } from './schema.affinity.ts';
import type { EditingTables } from './schema.editing.ts';
import type { InventoryTables } from './schema.inventory.ts';
import type { NetworkTables } from './schema.network.ts';
import type { NotificationTables } from './schema.notifications.ts';

export type HandleTable = { handle: string; kind: 'person' | 'commune' };

export type AccountTable = {
  id: string;
  handle: string;
  display_name: string;
  password_hash: string;
  created_at: string;
};

export type SessionTable = {
  token_hash: string;
  account_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  /** Names the session in the API; the token's hash never leaves the server. */
  public_id: string;
  last_used_at: string | null;
  user_agent: string | null;
};

export type SignInAttemptTable = {
  id: string;
  handle: string;
  address: string;
  started_at: string;
  settled_at: string | null;
  outcome: 'pending' | 'failed' | 'succeeded' | 'forgiven';
};

export type SignUpAttemptTable = { id: string; address: string; at: string };

export type CommuneTable = {
  id: string;
  handle: string;
  name: string;
  vision: string;
  category: string;
  tags: string;
  agreements: string;
  join_policy: string;
  visibility: string;
  max_members: number;
  member_count: number;
  created_by: string;
  created_at: string;
  /** 1 when a change_governance decision opened the books / named ballots to outsiders. */
  open_books: ColumnType<number, number | undefined, number>;
  open_ballots: ColumnType<number, number | undefined, number>;
};

export type MembershipTable = {
  commune_id: string;
  account_id: string;
  role: 'member' | 'steward';
  joined_at: string;
};

export type ApplicationTable = {
  id: string;
  commune_id: string;
  account_id: string;
  message: string;
  status: 'pending' | 'approved' | 'rejected';
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
};

export type InviteTable = {
  code: string;
  commune_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_by: string | null;
  used_at: string | null;
};

export type ThreadTable = {
  id: string;
  commune_id: string;
  author_id: string;
  title: string;
  body: string;
  html: string;
  created_at: string;
  /** Bumped by triggers (migration 0004) on every change a thread page shows. */
  version: Generated<number>;
  // Migration 0018: editing and moderation.
  edited_at: ColumnType<string | null, string | null | undefined, string | null>;
  locked_at: ColumnType<string | null, string | null | undefined, string | null>;
  pinned_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The proposal this thread is the discussion of (one at most). */
  proposal_id: ColumnType<string | null, string | null | undefined, string | null>;
};

export type CommentTable = {
  id: string;
  thread_id: string;
  author_id: string | null;
  author_handle: string;
  body: string;
  html: string;
  in_reply_to: string | null;
  source: 'local' | 'fediverse';
  created_at: string;
  // Migration 0018: a deleted or hidden comment keeps its row (a tombstone) and its place.
  edited_at: ColumnType<string | null, string | null | undefined, string | null>;
  deleted_at: ColumnType<string | null, string | null | undefined, string | null>;
  hidden_at: ColumnType<string | null, string | null | undefined, string | null>;
  hidden_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** A hidden comment's text, kept out of pages and search until it is shown again. */
  hidden_body: ColumnType<string | null, string | null | undefined, string | null>;
};

export type FilterTable = {
  id: string;
  account_id: string;
  kind: 'word' | 'person' | 'thread' | 'commune';
  value: string;
  created_at: string;
};

export type Database = {
  handles: HandleTable;
  accounts: AccountTable;
  sessions: SessionTable;
  sign_in_attempts: SignInAttemptTable;
  sign_up_attempts: SignUpAttemptTable;
  communes: CommuneTable;
  memberships: MembershipTable;
  applications: ApplicationTable;
  invites: InviteTable;
  threads: ThreadTable;
  comments: CommentTable;
  filters: FilterTable;
} & LedgerTables &
  DecisionTables &
  JobTables &
  EventTables &
  InventoryTables &
  NetworkTables &
  NotificationTables &
  AffinityTables &
  EditingTables;

// Ledger (src/ledger). Money columns are bigint: SQLite gives numbers, pg gives strings,
// so the ledger repository converts every one with a safe-integer check.
type Money = ColumnType<number | string, number, number>;
type MoneyOrNull = ColumnType<number | string | null, number | null, number | null>;

export type LedgerCurrencyTable = {
  commune_id: string;
  code: string;
  name: string;
  unit: string;
  decimals: number;
  default_credit_limit: Money;
  max_balance: MoneyOrNull;
  demurrage_basis_points: number;
  demurrage_period: string | null;
  updated_at: string;
};

export type LedgerAccountTable = {
  id: string;
  commune_id: string;
  kind: 'member' | 'purse' | 'clearing';
  owner_id: string | null;
  owner_handle: string;
  balance: Money;
  held: Money;
  credit_limit: Money;
  limit_overridden: number;
  max_balance: MoneyOrNull;
  frozen: number;
  seq: Money;
  next_hold_expiry: string | null;
  created_at: string;
};

export type LedgerTransferTable = {
  id: string;
  commune_id: string;
  code: 'payment' | 'purse_spend' | 'demurrage' | 'reversal' | 'thanks' | 'clearing';
  from_account_id: string;
  to_account_id: string;
  amount: Money;
  memo: string;
  status: 'posted' | 'pending' | 'voided' | 'expired';
  body_hash: string;
  created_by: string | null;
  created_at: string;
  timeout_at: string | null;
  resolved_at: string | null;
  reverses: string | null;
  from_seq: MoneyOrNull;
  from_balance: MoneyOrNull;
  to_seq: MoneyOrNull;
  to_balance: MoneyOrNull;
};

export type LedgerLimitChangeTable = {
  id: string;
  commune_id: string;
  account_id: string | null;
  owner_handle: string;
  old_limit: Money;
  new_limit: Money;
  changed_by: string | null;
  changed_by_handle: string | null;
  via: 'steward' | 'decision';
  created_at: string;
};

export type LedgerTables = {
  ledger_currencies: LedgerCurrencyTable;
  ledger_accounts: LedgerAccountTable;
  ledger_transfers: LedgerTransferTable;
  ledger_limit_changes: LedgerLimitChangeTable;
};

// Decisions (src/decisions). JSON columns: options, action_params, action_result, tally, vote.
type Share = ColumnType<number | string, number, number>;
type ShareOrNull = ColumnType<number | string | null, number | null, number | null>;

export type ProposalTable = {
  id: string;
  commune_id: string;
  author_id: string | null;
  title: string;
  body: string;
  method: string;
  options: string;
  quorum: Share;
  threshold: ShareOrNull;
  /** 'cast' | 'eligible'; null where the method takes no threshold (migration 0009). */
  threshold_basis: ColumnType<string | null, string | null | undefined, string | null>;
  budget: number | null;
  anonymous: number;
  hide_results: 'never' | 'until_vote' | 'until_close';
  topic: string | null;
  opens_at: string;
  closes_at: string;
  status: 'open' | 'passed' | 'rejected' | 'expired';
  revision: ColumnType<number, number | undefined, number>;
  action_type: string | null;
  action_params: string | null;
  subject_id: string | null;
  action_executed: ColumnType<number, number | undefined, number>;
  action_result: string | null;
  author_decision: 'passed' | 'rejected' | null;
  tally: string | null;
  outcome: string | null;
  outcome_by: string | null;
  outcome_at: string | null;
  created_at: string;
  closed_at: string | null;
};

export type VoteTable = { proposal_id: string; voter_id: string; vote: string; cast_at: string };
export type AnonymousBallotTable = { id: string; proposal_id: string; vote: string };
export type BallotReceiptTable = { proposal_id: string; voter_id: string };
export type DelegationTable = {
  commune_id: string;
  from_id: string;
  to_id: string;
  topic: string;
  created_at: string;
};

export type GovernanceRuleTable = {
  commune_id: string;
  action_type: string;
  method: string;
  threshold: ShareOrNull;
  /** 'cast' | 'eligible'; null where the method takes no threshold (migration 0009). */
  threshold_basis: ColumnType<string | null, string | null | undefined, string | null>;
  quorum: Share;
  duration_hours: number;
  proposal_id: string;
  updated_at: string;
};

export type AllianceConsentTable = {
  id: string;
  commune_id: string;
  partner_id: string;
  kind: 'form' | 'end';
  trade_limit: MoneyOrNull;
  rate: ShareOrNull;
  proposal_id: string;
  created_at: string;
};

export type DecisionTables = {
  proposals: ProposalTable;
  votes: VoteTable;
  anonymous_ballots: AnonymousBallotTable;
  ballot_receipts: BallotReceiptTable;
  delegations: DelegationTable;
  governance_rules: GovernanceRuleTable;
  alliance_consents: AllianceConsentTable;
};

// Background work (src/jobs): one row per job; recurring jobs reschedule their own row.
export type JobTable = {
  id: string;
  kind: string;
  key: string;
  run_at: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
};

export type JobTables = { jobs: JobTable };

// Domain events (src/events): the outbox, and which background subscriber handled which event.
export type DomainEventTable = {
  id: string;
  type: string;
  commune_id: string | null;
  /** The event as JSON: ids only, never copies of rows. */
  payload: string;
  occurred_at: string;
};
export type EventDeliveryTable = { subscriber: string; event_id: string; delivered_at: string };

export type EventTables = { domain_events: DomainEventTable; event_deliveries: EventDeliveryTable };
