import type { CommunesService } from '../communes/communes.service.ts';
import type { Permitted } from '../communes/access.ts';
import type { Deps } from '../deps.ts';
import type { Executor } from '../db/transaction.ts';
import type { AllianceStatus } from '../db/schema.network.ts';
import type { EventOf } from '../events/events.ts';
import type { EventPublisher } from '../events/events.service.ts';
import type { AlliedCommunes } from '../inventory/visibility.ts';
import { ok, type Result } from '../shared/result.ts';
import { alliancesRepository } from './alliances.repository.ts';
import { formRefusal, partnerIn, standing, stepOf, termsFor } from './alliances.ts';
import {
  clearingBalances,
  communeHandles,
  consentTerms,
  type PartnerCurrency,
} from './alliances.view.ts';
import { networkFail } from './network.errors.ts';

export type AllianceView = {
  commune: string;
  since: string;
  tradeLimit: number;
  rate: number;
  balance: number;
  status: AllianceStatus;
  currency: PartnerCurrency | null;
};

export type AlliancesPorts = {
  communes: Pick<CommunesService, 'accessById'>;
  events: EventPublisher;
};

/** Pairs two communes' consents into alliances, and shows a commune's alliances. */
export function alliancesService(deps: Deps, ports: AlliancesPorts) {
  const now = () => deps.clock.now().toISOString();

  /** The pair two communes have now (requested or active), if any. */
  async function standingPair(x: string, y: string, tx: Executor = deps.db) {
    return standing(await alliancesRepository(tx).between(x, y));
  }

  /**
   * One commune's passed consent, inside the decision's closing transaction: asks, answers
   * (forms or counters) or ends. An error Result refuses the decision's action.
   */
  async function pairConsent(
    tx: Executor,
    e: EventOf<'alliance_consented'>,
  ): Promise<Result<void>> {
    const consent = await consentTerms(tx, e.consentId);
    if (!consent) return networkFail('consent_not_found', `No consent ${e.consentId}`);
    const repo = alliancesRepository(tx);
    let pair = await standingPair(e.communeId, e.partnerId, tx);
    let step = stepOf(e.communeId, pair, consent);
    const at = now();
    let requested: string | null = null;
    if (step.kind === 'request') {
      requested = await repo.insertRequest(e.communeId, e.partnerId, step.terms, at);
      // Another decision asked in the meantime: this consent meets that pair, as if it came second.
      if (requested === null) {
        pair = await standingPair(e.communeId, e.partnerId, tx);
        step = stepOf(e.communeId, pair, consent);
        if (step.kind === 'request')
          return networkFail(
            'alliance_already_requested',
            'The other commune has asked already; answer its request',
          );
      }
    }
    // requested: the asker and the asked; formed: the offer's maker and its taker; ended: who ended it.
    const told = (
      type: 'alliance_requested' | 'alliance_formed' | 'alliance_ended',
      communeId: string,
      partnerId: string,
      allianceId: string,
    ) => ports.events.publish(tx, { type, communeId, partnerId, allianceId });
    switch (step.kind) {
      case 'refuse':
        return step.code === 'already_allied'
          ? networkFail('already_allied', 'The two communes are allied already')
          : networkFail(
              'alliance_already_requested',
              'This commune has asked already; the other must answer',
            );
      case 'nothing':
        return ok(undefined);
      case 'request':
        return told('alliance_requested', e.communeId, e.partnerId, requested!);
      case 'counter': {
        await repo.counter(pair!.id, e.communeId, e.partnerId, step.terms, at);
        return told('alliance_requested', e.communeId, e.partnerId, pair!.id);
      }
      case 'form':
        await repo.activate(pair!.id, at);
        return told('alliance_formed', pair!.a, pair!.b, pair!.id);
      case 'end':
        await repo.end(pair!.id, e.communeId, at);
        return told('alliance_ended', e.communeId, e.partnerId, pair!.id);
    }
  }

  /** At proposal time: whether a commune may ask a partner to ally (not twice, not if allied). */
  async function mayAsk(communeId: string, partnerId: string): Promise<Result<void>> {
    const refusal = formRefusal(communeId, await standingPair(communeId, partnerId));
    if (refusal === 'already_allied')
      return networkFail('already_allied', 'The two communes are allied already');
    if (refusal)
      return networkFail(
        'alliance_already_requested',
        'This commune has asked already; the other commune must answer',
      );
    return ok(undefined);
  }

  /**
   * A commune's alliances, the latest first, in its own terms. A partner the caller may not
   * see (a private commune they are outside of) is left out, by the one access rule.
   */
  async function list(commune: Permitted): Promise<Result<AllianceView[]>> {
    const pairs = await alliancesRepository(deps.db).of(commune.communeId);
    const partners = [...new Set(pairs.map((p) => partnerIn(p, commune.communeId)))];
    const seen = new Set<string>();
    for (const id of partners)
      if ((await ports.communes.accessById(id, commune.viewerId)).ok) seen.add(id);
    const [handles, balances] = await Promise.all([
      communeHandles(deps.db, [...seen]),
      clearingBalances(deps.db, commune.communeId),
    ]);
    return ok(
      pairs.flatMap((p) => {
        const partner = partnerIn(p, commune.communeId);
        const found = handles.get(partner);
        if (!seen.has(partner) || !found) return [];
        const terms = termsFor(p, commune.communeId);
        return [
          {
            commune: found.handle,
            since: p.activeSince ?? p.requestedAt,
            tradeLimit: terms.tradeLimit,
            rate: terms.rate,
            balance: balances.get(partner) ?? 0,
            status: p.status,
            currency: found.currency,
          },
        ];
      }),
    );
  }

  /** The inventory's port: communes in an active alliance with one. */
  const alliedWith: AlliedCommunes = (communeId, ex = deps.db) =>
    alliancesRepository(ex).activePartners(communeId);

  return { pairConsent, mayAsk, list, alliedWith };
}
export type AlliancesService = ReturnType<typeof alliancesService>;
