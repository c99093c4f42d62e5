import type { Deps } from '../deps.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { fail, notFound, ok, type Result } from '../shared/result.ts';
import type { Ledger, LedgerAccount, StatementLine, Transfer } from './ledger.ts';
import { csvCell } from './csv.ts';
import { accountsRepository } from './accounts.repository.ts';
import { accountNotFound } from './accounts.service.ts';
import { currencyOnly } from './currency.service.ts';
import { currencyRepository } from './currency.repository.ts';
import { auditProblems, type AccountState } from './posting.ts';
import type { Executor } from '../db/transaction.ts';
import { publicView, transfersRepository } from './transfers.repository.ts';
import type { TransfersService } from './transfers.service.ts';

const accountView = (a: AccountState): LedgerAccount => ({
  owner: a.handle,
  kind: a.kind,
  balance: a.balance,
  creditLimit: a.creditLimit,
  held: a.held,
  frozen: a.frozen,
});
// List cursors: the last row's (createdAt, id), opaque to clients.
const encodeCursor = (t: Transfer): string =>
  Buffer.from(`${t.createdAt}|${t.id}`).toString('base64url');
function decodeCursor(s: string): { createdAt: string; id: string } | undefined {
  const [createdAt, id, extra] = Buffer.from(s, 'base64url').toString('utf8').split('|');
  return createdAt && id && extra === undefined ? { createdAt, id } : undefined;
}
const badCursor = () =>
  fail('invalid_input', 'invalid_cursor', 'before: not a cursor this list gave out', 'before');

/** What the ledger shows: the accounts, transfers, statements (also as CSV) and the audit. */
export function ledgerReads(deps: Deps, writes: TransfersService) {
  const accounts = (ex: Executor = deps.db) => accountsRepository(ex, deps.dialect);
  const currencies = (ex: Executor = deps.db) => currencyRepository(ex);
  const transfers = (ex: Executor = deps.db) => transfersRepository(ex, deps.dialect);
  const now = () => deps.clock.now().toISOString();

  /** Reads show holds as they are: due expiries are applied first. */
  async function freshen(communeId: string): Promise<void> {
    const next = await accounts().nextHoldExpiry(communeId);
    if (next !== null && next <= now()) await writes.expireDue(communeId);
  }

  async function accountOf(communeId: string, owner: string): Promise<Result<AccountState>> {
    const a = await accounts().findByHandle(communeId, owner);
    return a ? ok(a) : accountNotFound(owner);
  }
  return {
    async ledger(communeId: string): Promise<Result<Ledger>> {
      await freshen(communeId);
      const found = await currencies().findCurrency(communeId);
      if (!found) return notFound('Ledger');
      const currency = currencyOnly(found);
      const rows = await accounts().visibleAccounts(communeId);
      return ok({
        currency,
        accounts: rows.map(accountView),
        sum: rows.reduce((n, a) => n + a.balance, 0),
      });
    },

    async transfer(communeId: string, id: string): Promise<Result<Transfer>> {
      await freshen(communeId);
      const t = await transfers().find(communeId, id);
      return t
        ? ok(publicView(t))
        : fail('not_found', 'transfer_not_found', 'No such transfer in this commune');
    },

    async transfers(
      communeId: string,
      q: { account?: string | undefined; limit: number; before?: string | undefined },
    ): Promise<Result<Page<Transfer>>> {
      const before = q.before === undefined ? undefined : decodeCursor(q.before);
      if (q.before !== undefined && !before) return badCursor();
      let accountId: string | undefined;
      if (q.account !== undefined) {
        const a = await accountOf(communeId, q.account);
        if (!a.ok) return a;
        accountId = a.value.id;
      }
      await freshen(communeId);
      const rows = await transfers().list(communeId, q.limit, {
        ...(accountId ? { accountId } : {}),
        ...(before ? { before } : {}),
      });
      return ok(toPage(rows, q.limit, encodeCursor));
    },

    async statement(
      communeId: string,
      owner: string,
      q: { limit: number; before?: string | undefined },
    ): Promise<Result<Page<StatementLine> & { account: LedgerAccount }>> {
      const before = q.before === undefined ? undefined : Number(q.before);
      if (before !== undefined && !(Number.isSafeInteger(before) && before > 0)) return badCursor();
      await freshen(communeId);
      const a = await accountOf(communeId, owner);
      if (!a.ok) return a;
      const lines = await transfers().statement(
        a.value.id,
        q.limit,
        before === undefined ? {} : { before },
      );
      return ok({ account: accountView(a.value), ...toPage(lines, q.limit, (l) => String(l.seq)) });
    },

    /** The whole statement, oldest first, as CSV. */
    async statementCsv(communeId: string, owner: string): Promise<Result<string>> {
      const a = await accountOf(communeId, owner);
      if (!a.ok) return a;
      const out = ['seq,at,transfer_id,counterparty,amount,balance,code,memo'];
      for (let after = 0; ;) {
        const lines = (await transfers().statement(a.value.id, 1000, { after })).slice(0, 1000);
        for (const l of lines)
          out.push(
            [l.seq, l.at, l.transferId, l.counterparty, l.amount, l.balance, l.code, l.memo]
              .map(csvCell)
              .join(','),
          );
        if (lines.length < 1000) break;
        after = lines[lines.length - 1]!.seq;
      }
      return ok(out.join('\r\n') + '\r\n');
    },

    /** Checks the books: sum zero, each balance equal to its postings, holds equal to pending, limits kept. */
    async audit(
      communeId: string,
    ): Promise<Result<{ accounts: number; sum: number; problems: string[] }>> {
      const rows = await accounts().audit(communeId);
      if (rows.length === 0) return notFound('Ledger');
      return ok({
        accounts: rows.length,
        sum: rows.reduce((n, r) => n + r.account.balance, 0),
        problems: auditProblems(rows),
      });
    },
  };
}
