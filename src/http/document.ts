import pino from 'pino';
import { createApp } from '../app.ts';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { systemClock } from '../shared/clock.ts';

/**
 * The OpenAPI document as the app serves it, built without serving: createApp touches no
 * database until a request comes, so an unmigrated in-memory one is enough.
 */
export async function openApiDocumentOf(config: Config): Promise<unknown> {
  const handle = openDatabase('sqlite::memory:');
  try {
    const app = createApp({
      db: handle.db,
      dialect: handle.dialect,
      config,
      logger: pino({ level: 'silent' }),
      clock: systemClock,
    });
    return await (await app.request('/api/openapi.json')).json();
  } finally {
    await handle.destroy();
  }
}
