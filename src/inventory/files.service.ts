import type { ReadStream } from 'node:fs';
import type { Deps } from '../deps.ts';
import { transact, type Executor } from '../db/transaction.ts';
import { ok, type Result } from '../shared/result.ts';
import { classify } from './file-types.ts';
import { SHA256_PATTERN, TEMP_MAX_AGE_MS, type FileStore } from './file-store.ts';
import { filesRepository, type ItemFileRow } from './files.repository.ts';
import { inventoryFail } from './inventory.errors.ts';
import { mayEdit, type ItemAccess } from './items.access.ts';
import type { ItemRow } from './items.view.ts';

/** A file as the API gives it. */
export type FileOut = {
  sha256: string;
  name: string;
  type: string;
  size: number;
  url: string;
  addedAt: string;
};

export const fileUrl = (itemId: string, sha256: string): string =>
  `/api/v1/items/${itemId}/files/${sha256}`;

export const toFileOut = (r: ItemFileRow): FileOut => ({
  sha256: r.sha256,
  name: r.name,
  type: r.type,
  size: Number(r.size),
  url: fileUrl(r.item_id, r.sha256),
  addedAt: r.added_at,
});

const fileNotFound = () => inventoryFail('file_not_found', 'This item has no such file');

/**
 * Files on `resource` items: received and sniffed (file-store, file-types), recorded in
 * item_files, served to whoever may see the item, and removed once no item carries them.
 */
export function filesService(deps: Deps, access: Pick<ItemAccess, 'seen'>, store: FileStore) {
  const { maxPerItem, maxBytes } = deps.config.files;
  const repo = (ex: Executor) => filesRepository(ex, deps.dialect);
  const now = () => deps.clock.now().toISOString();

  /** The item if the caller may add files to it: seen, theirs to edit, live, a resource. */
  async function uploadable(
    ex: Executor,
    itemId: string,
    viewerId: string,
  ): Promise<Result<ItemRow>> {
    const row = await access.seen(itemId, viewerId, ex);
    if (!row.ok) return row;
    if (!mayEdit(row.value, viewerId))
      return inventoryFail('not_item_editor', 'Only its author or a steward may add files');
    if (row.value.deletedAt !== null)
      return inventoryFail('item_deleted', 'This item was deleted; it cannot carry files');
    if (row.value.kind !== 'resource')
      return inventoryFail('not_a_resource', 'Only resource items carry files', {
        details: { kind: row.value.kind },
      });
    return row;
  }

  /**
   * After an upload's transaction failed once its file was moved into the store: removes the
   * file unless a committed row carries it (the same bytes on another item, or an upload of
   * them that committed meanwhile), under the file's lock as release() does. A failure here is
   * logged, not thrown: the upload's own error is the one to report.
   */
  async function forgetUnlessCarried(sha256: string, itemId: string): Promise<void> {
    try {
      await deps.db.transaction().execute(async (tx) => {
        const r = repo(tx);
        await r.lockBlob(sha256);
        if (!(await r.isReferenced(sha256))) await store.remove(sha256);
      });
    } catch (e) {
      deps.logger.error({ err: e, itemId, sha256 }, 'a failed upload left its file stored');
    }
  }

  return {
    /** Refuses before the body is read, so a refused caller never makes us read 10 MB. */
    mayUpload: async (itemId: string, viewerId: string): Promise<Result<void>> => {
      const r = await uploadable(deps.db, itemId, viewerId);
      return r.ok ? ok(undefined) : r;
    },

    /**
     * Stores a file on an item. The bytes are read once, into a temp file, hashing and
     * counting as they come; the row and the file's final name are written under the item's
     * lock. The same bytes again give back the file already there (created: false).
     */
    async upload(
      itemId: string,
      viewerId: string,
      rawName: string,
      source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
    ): Promise<Result<{ file: FileOut; created: boolean }>> {
      const received = await store.receive(source, maxBytes);
      if (!received.ok)
        return received.error === 'too_large'
          ? inventoryFail('file_too_large', `A file may be at most ${maxBytes} bytes`, {
              details: { maxBytes },
            })
          : inventoryFail('file_empty', 'The file is empty', { field: 'file' });
      const file = received.value;
      // Set as the file moves under its hash name (inside the transaction, under the file's
      // lock): from then on a failed transaction must take the stored file back.
      let stored = false;
      try {
        const kind = classify(file.sniffed, file.isText, rawName);
        if (!kind.ok) return inventoryFail('file_type_not_allowed', `Not accepted: ${kind.reason}`);
        return await transact<{ file: FileOut; created: boolean }>(deps, undefined, async (tx) => {
          const r = repo(tx);
          const item = await uploadable(tx, itemId, viewerId);
          if (!item.ok) return item;
          // Read again under the lock: a deletion may have committed since.
          if ((await r.lockItem(item.value.id))?.deleted !== false)
            return inventoryFail('item_deleted', 'This item was deleted; it cannot carry files');
          const existing = await r.find(item.value.id, file.sha256);
          if (existing) return ok({ file: toFileOut(existing), created: false });
          if ((await r.count(item.value.id)) >= maxPerItem)
            return inventoryFail('too_many_files', `An item carries at most ${maxPerItem} files`, {
              details: { maxPerItem },
            });
          const row: ItemFileRow = {
            item_id: item.value.id,
            sha256: file.sha256,
            name: kind.name,
            type: kind.type,
            size: file.size,
            added_by: viewerId,
            added_at: now(),
          };
          // Under the file's lock: a clean-up deciding this file is unused waits for this row.
          await r.lockBlob(file.sha256);
          await r.add(row);
          stored = true;
          await store.commit(file);
          return ok({ file: toFileOut(row), created: true });
        });
      } catch (e) {
        if (stored) await forgetUnlessCarried(file.sha256, itemId);
        throw e;
      } finally {
        // Gone already once moved; otherwise dropped here, kept or refused.
        await store.discard(file);
      }
    },

    /** The item's files, oldest first (none on a tombstone). */
    async list(itemId: string, viewerId: string | null): Promise<Result<FileOut[]>> {
      const item = await access.seen(itemId, viewerId);
      if (!item.ok) return item;
      return ok((await repo(deps.db).list(item.value.id)).map(toFileOut));
    },

    /** One file's record and bytes, to those who may see the item. */
    async download(
      itemId: string,
      sha256: string,
      viewerId: string | null,
    ): Promise<Result<{ file: FileOut; stream: ReadStream }>> {
      const item = await access.seen(itemId, viewerId);
      if (!item.ok) return item;
      if (!SHA256_PATTERN.test(sha256)) return fileNotFound();
      const row = await repo(deps.db).find(item.value.id, sha256);
      if (!row) return fileNotFound();
      const opened = await store.open(sha256);
      if (!opened) {
        deps.logger.error({ itemId, sha256 }, 'an item file is recorded but not stored');
        return fileNotFound();
      }
      return ok({ file: toFileOut(row), stream: opened.stream });
    },

    /** Removes temp files an interrupted upload (a killed process, a crash) left behind. */
    sweepTemp: (): Promise<number> =>
      store.sweepTemp(new Date(deps.clock.now().getTime() - TEMP_MAX_AGE_MS)),

    /**
     * After an item is deleted: drops any file rows it still has and removes each file no
     * item carries any more. Safe to run again (at-least-once delivery).
     */
    async release(tx: Executor, itemId: string, files: readonly string[]): Promise<void> {
      const r = repo(tx);
      const left = await r.removeForItem(itemId);
      for (const sha256 of [...new Set([...files, ...left])].sort()) {
        await r.lockBlob(sha256);
        if (!(await r.isReferenced(sha256))) await store.remove(sha256);
      }
    },
  };
}
export type FilesService = ReturnType<typeof filesService>;
