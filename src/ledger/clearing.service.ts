import type { Deps } from '../deps.ts';
import { transact, type Executor } from '../db/transaction.ts';
import { newId } from '../shared/ids.ts';
import { err, ok, type AppError, type Result } from '../shared/result.ts';
import { accountsRepository } from './accounts.repository.ts';
import { convert } from './clearing.ts';
import { clearingView } from './clearing.view.ts';
import { ledgerFail } from './ledger.errors.ts';
import type { TransferCode, TransferInput } from './ledger.ts';
import type { TransfersService } from './transfers.service.ts';
import type { Created, Payer, TransferRequest } from './transfers.types.ts';

// Payments across an alliance (docs/adr/0018-clearing.md): each commune keeps one clearing
// account per ally, and a payment is two transfers with one id, one in each ledger, in one
// transaction.

const tradeLimit = (e: AppError, partner: string): AppError => ({
  type: 'rule_violation',
  code: 'trade_limit_exceeded',
  message: `This payment would take the trade balance with ${partner} beyond the alliance’s trade limit`,
  details: { cause: e.code },
});

/** Why both halves of one payment must stay or go together. */
class HalfRefused {
  readonly error: AppError;
  constructor(error: AppError) {
    this.error = error;
  }
}

export function clearingService(deps: Deps, writes: TransfersService) {
  const accounts = (ex: Executor) => accountsRepository(ex, deps.dialect);
  const now = () => deps.clock.now().toISOString();

  /** Each commune of an active alliance gets (or keeps, with today's limit) the other's clearing account. */
  async function openClearing(tx: Executor, allianceId: string, communeId: string): Promise<void> {
    const mine = await clearingView(tx).byId(allianceId, communeId);
    if (!mine) return;
    const theirs = await clearingView(tx).byId(allianceId, mine.partnerId);
    if (!theirs) return;
    for (const [commune, terms] of [
      [communeId, mine],
      [mine.partnerId, theirs],
    ] as const) {
      const existing = await accounts(tx).findByOwner(commune, terms.partnerId);
      if (existing) {
        // A limit below today's trade balance would break the account's constraints: keep room for it.
        const limit = Math.max(terms.tradeLimit, Math.abs(existing.balance) + existing.held);
        await accounts(tx).setClearingLimit(existing.id, limit);
        continue;
      }
      await accounts(tx).insertAccount({
        id: newId(),
        communeId: commune,
        kind: 'clearing',
        ownerId: terms.partnerId,
        handle: terms.partnerHandle,
        creditLimit: terms.tradeLimit,
        maxBalance: terms.tradeLimit,
        at: now(),
      });
    }
  }

  /** A member of `communeId` pays a member of an allied commune: both halves, or nothing. */
  async function payAcross(
    communeId: string,
    payer: { id: string; handle: string },
    t: TransferInput,
    // Another context's write (thanks for an ally's item) shares its transaction and names the code.
    o: { tx?: Executor | undefined; code?: TransferCode | undefined } = {},
  ): Promise<Result<Created>> {
    const code = o.code ?? 'clearing';
    if (t.from !== undefined && t.from !== payer.handle)
      return ledgerFail('not_your_account', 'A member pays from their own account only', {
        field: 'from',
      });
    if (t.pending === true || t.reverses !== undefined)
      return ledgerFail(
        'not_supported_yet',
        'A payment into another commune is posted at once; it cannot be pending or a reversal',
        { field: t.pending === true ? 'pending' : 'reverses' },
      );
    const terms = await clearingView(o.tx ?? deps.db).activeWith(communeId, t.toCommune!);
    if (!terms)
      return ledgerFail('no_alliance', `This commune has no active alliance with ${t.toCommune}`, {
        field: 'toCommune',
      });
    const converted = convert(t.amount, terms.conversion);
    if (converted <= 0)
      return ledgerFail(
        'amount_too_small',
        `${t.amount} converts to less than one unit of ${terms.partnerHandle}’s currency`,
        { field: 'amount' },
      );
    // Far beyond any trade limit (limits are at most MAX_CREDIT_LIMIT on both sides).
    if (!Number.isSafeInteger(converted))
      return err(tradeLimit(ledgerFail('max_balance_exceeded', '').error, terms.partnerHandle));
    const halves: { commune: string; payer: Payer; request: TransferRequest; outbound: boolean }[] =
      [
        {
          commune: communeId,
          payer: { kind: 'member', accountId: payer.id },
          request: {
            id: t.id,
            to: terms.partnerHandle,
            toClearing: terms.partnerId,
            amount: t.amount,
            memo: t.memo,
            code,
          },
          outbound: true,
        },
        {
          commune: terms.partnerId,
          payer: { kind: 'clearing', partnerId: communeId },
          request: { id: t.id, to: t.to, amount: converted, memo: t.memo, code },
          outbound: false,
        },
      ];
    // The same lock order for A→B and B→A: no deadlock between them on PostgreSQL.
    const ordered = [...halves].sort((x, y) => (x.commune < y.commune ? -1 : 1));
    try {
      return await transact(deps, o.tx, async (tx) => {
        const done = new Map<boolean, Created>();
        for (const h of ordered) {
          const r = await writes.create(h.commune, h.payer, [h.request], { by: payer.id, tx });
          if (!r.ok) throw new HalfRefused(refusal(r.error, h.outbound, terms.partnerHandle));
          done.set(h.outbound, r.value);
        }
        const mine = done.get(true)!;
        // Retried halves replay together; one alone means the id was used for something else.
        if (mine.replayed !== done.get(false)!.replayed)
          throw new HalfRefused({
            type: 'conflict',
            code: 'idempotency_conflict',
            message: `The id ${t.id} was already used for a different transfer`,
            field: 'id',
          });
        return ok(mine);
      });
    } catch (e) {
      if (e instanceof HalfRefused) return err(e.error);
      throw e;
    }
  }

  /** The clearing account's limits are the alliance's trade limit; other refusals pass through. */
  function refusal(e: AppError, outbound: boolean, partner: string): AppError {
    if (outbound && e.code === 'max_balance_exceeded') return tradeLimit(e, partner);
    if (!outbound && e.code === 'credit_limit_exceeded') return tradeLimit(e, partner);
    return e;
  }

  return { openClearing, payAcross };
}
