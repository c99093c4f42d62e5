import type { Logger } from 'pino';
import type pg from 'pg';
import type { Config } from './config.ts';
import type { Db, Dialect } from './db/database.ts';
import type { HashingLimits } from './identity/hashing-pool.ts';
import type { Clock } from './shared/clock.ts';

/** Everything createApp needs from the outside world; tests build their own. */
export type Deps = {
  db: Db;
  dialect: Dialect;
  config: Config;
  logger: Logger;
  clock: Clock;
  /** log2 of scrypt's N; 17 is OWASP's recommendation. Tests may lower it for speed. */
  passwordCost?: number;
  /** Password hashing at once and queued per process; defaults to 2 and 8. */
  hashing?: HashingLimits;
  /** Tests: every declared route's answers are checked against the OpenAPI document (500 contract_violation). */
  checkContract?: boolean;
  /** PostgreSQL: a new connection of its own, for live updates' LISTEN (DbHandle.listenClient). */
  listenClient?: () => pg.Client;
  /** Folder of the built web app; absent means the API is served alone. */
  webRoot?: string;
};
