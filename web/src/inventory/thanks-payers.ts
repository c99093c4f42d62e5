// Which of the caller's communes can pay a thanks for an item: the item's own commune (a
// member pays in its currency) and each of theirs in an active alliance with it (through
// clearing, at the alliance's rate).
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { networkPaths, type Alliance } from '../api/network.ts';

/** A commune of the caller allied with the item's, and the alliance as that commune lists it. */
export type AlliedPayer = { commune: string; alliance: Alliance };

/**
 * The caller's other communes with an active alliance with `itemCommune`, read from each
 * one's alliance list (members always see it, even when the item's commune is private).
 * `loading` until every list has answered; a list that fails leaves its commune out.
 */
export function useAlliedPayers(
  itemCommune: string,
  mine: readonly string[],
): { payers: AlliedPayer[]; loading: boolean } {
  const key = [...mine].sort().join(' ');
  const [found, setFound] = useState<{ key: string; payers: AlliedPayer[] } | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    const handles = key ? key.split(' ') : [];
    void Promise.all(
      handles.map(async (commune) => {
        const r = await api.get<Alliance[]>(networkPaths.alliances(commune), abort.signal);
        const alliance = r.ok
          ? r.value.find((a) => a.commune === itemCommune && a.status === 'active')
          : undefined;
        return alliance ? [{ commune, alliance }] : [];
      }),
    ).then((lists) => {
      if (!abort.signal.aborted) setFound({ key: `${itemCommune}|${key}`, payers: lists.flat() });
    });
    return () => abort.abort();
  }, [itemCommune, key]);
  const current = found?.key === `${itemCommune}|${key}` ? found : null;
  return { payers: current?.payers ?? [], loading: current === null };
}
