// Decisions' background work, registered with the job runner by createContexts: each
// proposal's close at its closing time (queued by openProposal).
import type { JobRegistry } from '../jobs/registry.ts';
import type { ClosingService } from './closing.service.ts';
import { CLOSE_PROPOSAL } from './opening.ts';

export function registerDecisionsJobs(
  jobs: JobRegistry,
  closing: Pick<ClosingService, 'closeDue'>,
): void {
  jobs.handle(CLOSE_PROPOSAL, (job) => closing.closeDue(job));
}
