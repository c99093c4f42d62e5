import type { Deps } from '../deps.ts';
import type { EventBus } from '../events/events.service.ts';
import type { LiveService } from './live.service.ts';
import { LIVE_TYPES } from './live.ts';

/**
 * SQLite: live updates hear of events in-process, from inside the publishing transaction.
 * The ids are read back once the transaction let go of the one connection, so a rolled-back
 * event is never sent. PostgreSQL announces them itself at commit (migration 0022).
 */
export function subscribeLive(deps: Deps, events: EventBus, live: LiveService): void {
  if (deps.dialect !== 'sqlite') return;
  events.inTransaction('live', [...LIVE_TYPES], async (_tx, e) => {
    live.announce([e.id]);
  });
}
