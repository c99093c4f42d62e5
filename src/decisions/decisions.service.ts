import type { Deps } from '../deps.ts';
import { actionsService } from './actions/actions.service.ts';
import { closingService, talliesService } from './closing.service.ts';
import { delegationsService } from './delegations.service.ts';
import { governanceService } from './governance.service.ts';
import type { DecisionPorts } from './ports.ts';
import { proposalsRepository } from './proposals.repository.ts';
import { proposalsService } from './proposals.service.ts';
import { votesService } from './votes.service.ts';

/** The decisions context, composed: proposals, votes, delegations, governance, closing. */
export function decisionsService(deps: Deps, ports: DecisionPorts) {
  const governance = governanceService(deps);
  const tallies = talliesService(deps, ports);
  const actions = actionsService(deps, ports, governance);
  const closing = closingService(deps, tallies, actions, ports.events);
  const proposals = proposalsService(deps, ports, { tallies, closing, actions, governance });
  const votes = votesService(deps, { proposals, tallies, closing, events: ports.events });
  const delegations = delegationsService(deps, ports);
  return {
    ports,
    governance,
    proposals,
    votes,
    delegations,
    closing,
    /** The open admission proposal of an applicant, for the steward routes' 422. */
    openAdmission: (communeId: string, applicantId: string) =>
      proposalsRepository(deps.db).openAdmission(communeId, applicantId),
  };
}
export type DecisionsService = ReturnType<typeof decisionsService>;
