// What decisions needs from other contexts: their services' functions, never their tables.
// Every function that changes something takes the closing transaction.
import type { CommunesService } from '../communes/communes.service.ts';
import type { EventPublisher } from '../events/events.service.ts';
import type { JobQueue } from '../jobs/runner.ts';
import type { LedgerService } from '../ledger/ledger.service.ts';
import type { AlliancesService } from '../network/alliances.service.ts';

export type DecisionPorts = {
  communes: Pick<
    CommunesService,
    | 'access'
    | 'accessById'
    | 'permit'
    | 'permitById'
    | 'roster'
    | 'applicationOf'
    | 'admitApplication'
    | 'rejectApplication'
    | 'removeMember'
    | 'amendCharter'
    | 'setDisclosure'
  >;
  ledger: Pick<
    LedgerService,
    'reserveFromPurse' | 'postPending' | 'setCreditLimit' | 'updateCurrency'
  >;
  jobs: JobQueue;
  /** Whether a commune may ask a partner to ally, when a form_alliance is proposed. */
  network: Pick<AlliancesService, 'mayAsk'>;
  /** Decisions publishes proposal_opened and proposal_closed in the transactions that make them so. */
  events: EventPublisher;
};
