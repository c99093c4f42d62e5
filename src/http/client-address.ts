import type { Context } from 'hono';

type NodeEnv = { incoming?: { socket?: { remoteAddress?: string } } };

/** The peer's address from the Node socket; proxies' headers are not trusted. */
export const clientAddress = (c: Context): string =>
  (c.env as NodeEnv | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
