import { PURSE } from '../api/ledger.ts';
import { communePath } from '../communes/labels.ts';

/** The web app's own paths for the ledger pages. */
export const ledgerPagePath = (commune: string) => `${communePath(commune)}/ledger`;
export const pursePath = (commune: string) => `${ledgerPagePath(commune)}/purse`;
export const accountPath = (commune: string, owner: string) =>
  owner === PURSE
    ? pursePath(commune)
    : `${ledgerPagePath(commune)}/accounts/${encodeURIComponent(owner)}`;
