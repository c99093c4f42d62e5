import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';

/** Serves the built React app; any other GET outside the API falls back to index.html. */
export function mountWebApp(app: OpenAPIHono, webRoot: string): void {
  const indexPath = join(webRoot, 'index.html');
  if (!existsSync(indexPath)) return;
  const index = readFileSync(indexPath, 'utf8');
  app.use(
    '/assets/*',
    serveStatic({
      root: webRoot,
      onFound: (_p, c) => c.header('cache-control', 'public, max-age=31536000, immutable'),
    }),
  );
  app.use('/favicon.svg', serveStatic({ root: webRoot }));
  app.get('*', (c) => {
    if (c.req.path.startsWith('/api/')) return c.notFound();
    return c.html(index);
  });
}
