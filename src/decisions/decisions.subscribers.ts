// What decisions does when other contexts change, inside their transactions: an
// application opens its admission proposal, an alliance request opens its decision, and someone who leaves takes their
// delegations (given and received) with them.
import type { Deps } from '../deps.ts';
import type { EventBus } from '../events/events.service.ts';
import { delegationsRepository } from './delegations.repository.ts';
import { openAdmission, openAllianceRequest } from './opening.ts';

export function subscribeDecisions(
  deps: Deps,
  events: Pick<EventBus, 'inTransaction' | 'publish'>,
): void {
  events.inTransaction('decisions.open_admission', ['application_submitted'], (tx, e) =>
    openAdmission(deps, events, tx, e.event, e.occurredAt),
  );
  // An alliance asked of a commune opens its form_alliance decision, with the terms mirrored.
  events.inTransaction('decisions.open_alliance', ['alliance_requested'], (tx, e) =>
    openAllianceRequest(deps, events, tx, e.event, e.occurredAt),
  );
  events.inTransaction('decisions.drop_delegations', ['member_left'], async (tx, e) => {
    await delegationsRepository(tx).removeInvolving(e.event.communeId, e.event.accountId);
  });
}
