// What the network context does when other contexts change: inside their transactions, a
// commune's passed form_alliance / end_alliance consent asks, answers or ends an alliance;
// in the background, affinity follows charters, members, alliances, forks and clearing.
import type { EventBus } from '../events/events.service.ts';
import { AFFINITY_EVENTS, affinityWants, type AffinityService } from './affinity.service.ts';
import type { AlliancesService } from './alliances.service.ts';

export function subscribeNetwork(
  events: Pick<EventBus, 'inTransaction'>,
  alliances: Pick<AlliancesService, 'pairConsent'>,
): void {
  events.inTransaction('network.pair_consents', ['alliance_consented'], (tx, e) =>
    alliances.pairConsent(tx, e.event),
  );
}

export function subscribeAffinity(
  events: Pick<EventBus, 'background'>,
  affinity: Pick<AffinityService, 'apply'>,
): void {
  events.background(
    'network.affinity',
    [...AFFINITY_EVENTS],
    (tx, e) => affinity.apply(tx, e.event),
    { wants: affinityWants },
  );
}
