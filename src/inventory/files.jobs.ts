// Item files' background work, registered with the job runner by createContexts: an upload
// cut short by a crash or a killed process leaves its temp file; this sweep removes it.
import type { JobRegistry } from '../jobs/registry.ts';
import type { FilesService } from './files.service.ts';

export const SWEEP_TEMP_FILES = 'inventory.sweep_temp_files';
/** How often the temp folder is swept (each sweep removes what is older than an hour). */
export const TEMP_SWEEP_MS = 600_000;

export function registerFilesJobs(jobs: JobRegistry, files: Pick<FilesService, 'sweepTemp'>) {
  jobs.every({
    kind: SWEEP_TEMP_FILES,
    everyMs: TEMP_SWEEP_MS,
    run: async () => void (await files.sweepTemp()),
  });
}
