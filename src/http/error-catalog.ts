import { communesErrors } from '../communes/communes.errors.ts';
import { decisionsErrors } from '../decisions/decisions.errors.ts';
import { discussionsErrors } from '../discussions/discussions.errors.ts';
import { identityErrors } from '../identity/identity.errors.ts';
import { inventoryErrors } from '../inventory/inventory.errors.ts';
import { ledgerErrors } from '../ledger/ledger.errors.ts';
import { liveErrors } from '../live/live.errors.ts';
import { networkErrors } from '../network/network.errors.ts';
import { notificationsErrors } from '../notifications/notifications.errors.ts';
import { searchErrors } from '../search/search.errors.ts';
import type { ErrorCatalog, ErrorType } from '../shared/result.ts';
import { httpErrors } from './http.errors.ts';

/**
 * Every context's codes in one table: the OpenAPI document lists them per status, and a code
 * two contexts share must mean the same kind of failure (merge() refuses otherwise).
 */
function merge<const C extends readonly ErrorCatalog[]>(...catalogs: C): UnionOf<C> {
  const all: Record<string, ErrorType> = {};
  for (const catalog of catalogs)
    for (const [code, type] of Object.entries(catalog)) {
      if (all[code] !== undefined && all[code] !== type)
        throw new Error(`error code ${code} means both ${all[code]} and ${type}`);
      all[code] = type;
    }
  return all as UnionOf<C>;
}
type UnionOf<C extends readonly ErrorCatalog[]> = C extends readonly [
  infer H extends ErrorCatalog,
  ...infer T extends readonly ErrorCatalog[],
]
  ? H & UnionOf<T>
  : unknown;

export const ERROR_CATALOG = merge(
  httpErrors,
  identityErrors,
  communesErrors,
  ledgerErrors,
  decisionsErrors,
  discussionsErrors,
  inventoryErrors,
  searchErrors,
  networkErrors,
  notificationsErrors,
  liveErrors,
);
export type ErrorCode = keyof typeof ERROR_CATALOG & string;
