// Network tables (src/network, migration 0014). Rates are double precision (pg gives numbers
// as strings for bigint only); trade limits are bigint like ledger money.
import type { ColumnType } from 'kysely';

type Money = ColumnType<number | string, number, number>;

export type AllianceStatus = 'requested' | 'active' | 'ended';

export type AllianceTable = {
  id: string;
  /** The commune whose offer currently stands (a counter-offer swaps the sides and terms). */
  commune_a: string;
  /** The commune asked. */
  commune_b: string;
  status: AllianceStatus;
  trade_limit: Money;
  /** Units of B's currency for one unit of A's. */
  rate: ColumnType<number | string, number, number>;
  requested_at: string;
  active_since: string | null;
  ended_at: string | null;
  /** The commune whose decision ended it. */
  ended_by: string | null;
};

export type NetworkTables = { alliances: AllianceTable };
