import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { createApp } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateHandle } from '../db/migrate.ts';
import { systemClock } from '../shared/clock.ts';

const USAGE = 'usage: commune <serve|migrate>';

export async function runCli(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'serve';
  const config = loadConfig(process.env);
  if (!config.ok) {
    console.error(`${config.error.variable}: ${config.error.message}`);
    return 2;
  }
  switch (command) {
    case 'serve':
      await startServer(config.value);
      return 0;
    case 'migrate': {
      const handle = openDatabase(config.value.databaseUrl);
      const { applied } = await migrateHandle(handle);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
      await handle.destroy();
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

export async function startServer(config: Config) {
  const logger = pino({ level: config.logLevel });
  const handle = openDatabase(config.databaseUrl);
  const { applied } = await migrateHandle(handle);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const webRoot = fileURLToPath(new URL('../../dist/web', import.meta.url));
  const app = createApp({ db: handle.db, dialect: handle.dialect, config, logger, clock: systemClock, webRoot });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: process.env.HOST ?? '0.0.0.0' }, (info) => {
    logger.info({ port: info.port, database: handle.dialect, publicUrl: config.publicUrl }, 'Commune is listening');
  });
  const stop = () => {
    server.close(() => void handle.destroy().then(() => process.exit(0)));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
