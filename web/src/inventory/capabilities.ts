import { useEffect, useState } from 'react';

/**
 * Which optional routes this server declares, read once from its OpenAPI document. Parts of
 * the inventory arrive in stages (matches, conversations); a page shows a control only when
 * the server says the route behind it exists, instead of offering a button that would fail.
 */

type Paths = Record<string, Record<string, unknown>>;
let declared: Promise<Paths | null> | null = null;

function load(): Promise<Paths | null> {
  declared ??= fetch('/api/openapi.json', { credentials: 'same-origin' })
    .then((r) => (r.ok ? (r.json() as Promise<{ paths?: Paths }>) : null))
    .then((doc) => doc?.paths ?? null)
    .catch(() => null);
  return declared;
}

/** True when the server declares `method` on `path` (e.g. '/api/v1/items/{id}/matches'). */
export function useDeclares(method: 'get' | 'post', path: string): boolean {
  const [yes, setYes] = useState(false);
  useEffect(() => {
    let live = true;
    void load().then((paths) => {
      // OpenAPI path parameters may have any name: compare with the names blanked.
      const shape = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
      const found = Object.entries(paths ?? {}).some(
        ([p, ops]) => shape(p) === shape(path) && method in ops,
      );
      if (live) setYes(found);
    });
    return () => {
      live = false;
    };
  }, [method, path]);
  return yes;
}
