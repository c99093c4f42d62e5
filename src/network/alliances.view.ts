// Read views for alliances: the one place this context reads other contexts' tables.
import { sql } from 'kysely';
import type { Executor } from '../db/transaction.ts';
import type { Terms } from './alliances.ts';

/** A commune's passed consent (decisions' alliance_consents), as the event named it. */
export async function consentTerms(
  db: Executor,
  consentId: string,
): Promise<{ kind: 'form' | 'end'; terms: Terms | null } | undefined> {
  const r = await db
    .selectFrom('alliance_consents')
    .select(['kind', 'trade_limit', 'rate'])
    .where('id', '=', consentId)
    .executeTakeFirst();
  if (!r) return undefined;
  const terms =
    r.trade_limit === null || r.rate === null
      ? null
      : { tradeLimit: Number(r.trade_limit), rate: Number(r.rate) };
  return { kind: r.kind, terms };
}

/**
 * The balance of each ally's clearing account in a commune's ledger (ledger_accounts of kind
 * `clearing`, owned by the partner commune), by partner id. A partner without one is absent.
 */
export async function clearingBalances(
  db: Executor,
  communeId: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('ledger_accounts')
    .select(['owner_id', 'balance'])
    .where('commune_id', '=', communeId)
    .where(sql<boolean>`kind = 'clearing'`)
    .execute();
  return new Map(rows.flatMap((r) => (r.owner_id ? [[r.owner_id, Number(r.balance)]] : [])));
}

export type PartnerCurrency = { code: string; name: string; unit: string; decimals: number };

/**
 * Handles of communes by id (for the list), with each one's currency: the terms are in
 * units of it, and its name is public even where the books are not (ADR 0026).
 */
export async function communeHandles(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, { handle: string; currency: PartnerCurrency | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('communes')
    .leftJoin('ledger_currencies', 'ledger_currencies.commune_id', 'communes.id')
    .select([
      'communes.id',
      'communes.handle',
      'ledger_currencies.code',
      'ledger_currencies.name',
      'ledger_currencies.unit',
      'ledger_currencies.decimals',
    ])
    .where('communes.id', 'in', [...ids])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        handle: r.handle,
        currency:
          r.code === null || r.name === null || r.unit === null || r.decimals === null
            ? null
            : { code: r.code, name: r.name, unit: r.unit, decimals: Number(r.decimals) },
      },
    ]),
  );
}
