import type pg from 'pg';
import type { Logger } from 'pino';

/**
 * One dedicated PostgreSQL connection that LISTENs for the outbox's announcements (migration
 * 0022: the ids of new domain events, sent at commit). On loss it reconnects with backoff and
 * reports `onResumed`, since announcements sent meanwhile are gone: followers must refresh.
 */
export function outboxListener(o: {
  connect: () => pg.Client;
  onIds: (ids: string[]) => void;
  onResumed: () => void;
  logger: Logger;
}) {
  let client: pg.Client | null = null;
  let stopped = false;
  let ready: Promise<void> | null = null;
  let failures = 0;
  let retry: NodeJS.Timeout | null = null;

  async function attach(): Promise<void> {
    const c = o.connect();
    c.on('error', (e) => o.logger.warn({ err: e }, 'live updates: listener connection failed'));
    c.on('notification', (m) => {
      if (m.payload) o.onIds(m.payload.split(','));
    });
    await c.connect();
    const schema = (await c.query<{ s: string }>('select current_schema() as s')).rows[0]!.s;
    await c.query(`LISTEN "commune_events.${schema.replaceAll('"', '""')}"`);
    c.once('end', () => {
      if (client === c) client = null;
      if (!stopped) again();
    });
    client = c;
    failures = 0;
  }

  function again(): void {
    if (stopped || retry) return;
    const wait = Math.min(5000, 100 * 2 ** failures);
    failures += 1;
    retry = setTimeout(() => {
      retry = null;
      attach().then(
        () => {
          o.logger.info('live updates: listening again');
          o.onResumed();
        },
        (e: unknown) => {
          o.logger.warn({ err: e }, 'live updates: cannot listen yet');
          again();
        },
      );
    }, wait);
    retry.unref();
  }

  return {
    /** Connects once; resolves when LISTEN holds, so no event after it is missed. */
    start(): Promise<void> {
      ready ??= attach().catch((e: unknown) => {
        ready = null;
        throw e;
      });
      return ready;
    },
    get listening(): boolean {
      return client !== null;
    },
    /** The backend's process id (tests end it to prove the reconnect). */
    async backendPid(): Promise<number | null> {
      if (!client) return null;
      return (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    },
    async stop(): Promise<void> {
      stopped = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => undefined);
    },
  };
}
export type OutboxListener = ReturnType<typeof outboxListener>;
