import type { Logger } from 'pino';
import type { JobRunner } from './runner.ts';

export type Scheduler = { stop: () => Promise<void> };

/**
 * Ticks the runner every `intervalMs` until stopped; a tick that fails (the database is
 * away) is logged and the next one tries again. stop() waits for a running tick to end.
 */
export function startScheduler(
  runner: Pick<JobRunner, 'tick'>,
  o: { intervalMs: number; logger: Logger },
): Scheduler {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const loop = async (): Promise<void> => {
    try {
      await runner.tick(() => !stopped);
    } catch (e) {
      o.logger.error({ err: e }, 'scheduler tick failed');
    }
    if (!stopped) timer = setTimeout(() => (current = loop()), o.intervalMs);
  };
  current = loop();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
