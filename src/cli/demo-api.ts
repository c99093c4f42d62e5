// What the demo's steps share: the API they speak through, the people's sessions and the clock.
import type { Clock } from '../shared/clock.ts';

export class DemoError extends Error {}

export type DemoCtx = {
  api: (
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    expect?: number[],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the seed reads what it just wrote
  ) => Promise<any>;
  tokens: Map<string, string>;
  clock: Clock & { catchUp: () => void };
  /** Moves the demo clock on by hours (never past the real time). */
  advance: (hours: number) => void;
};

export const tokenOf = (ctx: DemoCtx, handle: string): string => {
  const t = ctx.tokens.get(handle);
  if (!t) throw new DemoError(`no session for @${handle}`);
  return t;
};
