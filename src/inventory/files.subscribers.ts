// Files follow their items through events, in the background: once an item is deleted, the
// files no other item carries are removed from disk. At least once: release() is idempotent.
import type { EventBus } from '../events/events.service.ts';
import type { FilesService } from './files.service.ts';

export function subscribeFiles(
  events: Pick<EventBus, 'background'>,
  files: Pick<FilesService, 'release'>,
): void {
  events.background('inventory.release_files', ['item_deleted'], (tx, e) =>
    files.release(tx, e.event.itemId, e.event.files),
  );
}
