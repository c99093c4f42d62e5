// Item files' bytes on disk, content-addressed: the file with sha256 "abcd…" lives at
// <dir>/ab/cd…. Every side effect on files sits here, behind this small interface.
// A file is received into <dir>/tmp under a random name, flushed, then renamed to its hash
// name: rename is atomic within one file system, so a crash leaves at worst a stray temp
// file, never a half-written file under a hash name; sweepTemp() removes those later.
import { createHash, randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileTypeFromFile } from 'file-type';
import { textCheck, type Sniffed } from './file-types.ts';

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** A file received into the temp folder, not yet under its hash name. */
export type Received = {
  tempPath: string;
  sha256: string;
  size: number;
  sniffed: Sniffed | undefined;
  isText: boolean;
};

export type ReceiveOutcome =
  { ok: true; value: Received } | { ok: false; error: 'too_large' | 'empty' };

/** A web stream's chunks; cancelled when the reader stops early. */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Reads a file's type from its first bytes (file-type; replaceable in tests). */
export type Sniffer = (path: string) => Promise<{ mime: string; ext: string } | undefined>;

/** Temp files older than this are left over from a crash: no upload takes an hour to write. */
export const TEMP_MAX_AGE_MS = 3_600_000;

export function fileStore(dir: string, sniff: Sniffer = fileTypeFromFile) {
  const tempDir = join(dir, 'tmp');
  const pathOf = (sha256: string): string => {
    // Callers validate; this guards the one place a name becomes a path.
    if (!SHA256_PATTERN.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(dir, sha256.slice(0, 2), sha256.slice(2));
  };

  return {
    pathOf,

    /**
     * Streams `source` into a temp file while hashing it, counting it and checking it for
     * text, and stops as soon as it passes `maxBytes` (the temp file is removed then).
     */
    async receive(
      source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
      maxBytes: number,
    ): Promise<ReceiveOutcome> {
      await mkdir(tempDir, { recursive: true });
      const tempPath = join(tempDir, randomUUID());
      const handle = await open(tempPath, 'wx', 0o600);
      const hash = createHash('sha256');
      const text = textCheck();
      let size = 0;
      let tooLarge = false;
      // Whatever goes wrong before the caller has the file (a broken source, a full disk, a
      // sniffer failing), the temp file goes with it.
      let handedOver = false;
      try {
        try {
          for await (const chunk of source instanceof ReadableStream ? chunksOf(source) : source) {
            size += chunk.byteLength;
            if (size > maxBytes) {
              tooLarge = true;
              break;
            }
            hash.update(chunk);
            text.push(chunk);
            await handle.write(chunk);
          }
          await handle.sync();
        } finally {
          await handle.close();
        }
        if (tooLarge || size === 0) return { ok: false, error: tooLarge ? 'too_large' : 'empty' };
        const found = await sniff(tempPath);
        handedOver = true;
        return {
          ok: true,
          value: {
            tempPath,
            sha256: hash.digest('hex'),
            size,
            sniffed: found && { mime: found.mime, ext: found.ext },
            isText: text.end(size),
          },
        };
      } finally {
        if (!handedOver) await rm(tempPath, { force: true });
      }
    },

    /**
     * Moves a received file under its hash name. When that name exists the bytes are the
     * same (same hash), so the temp file is simply dropped.
     */
    async commit(received: Received): Promise<void> {
      const target = pathOf(received.sha256);
      await mkdir(join(dir, received.sha256.slice(0, 2)), { recursive: true });
      await rename(received.tempPath, target);
    },

    /**
     * Removes temp files last written before `before`: those a killed process or a crash
     * left behind. Younger ones may be uploads in progress, here or in another process.
     */
    async sweepTemp(before: Date): Promise<number> {
      let names: string[];
      try {
        names = await readdir(tempDir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw e;
      }
      let removed = 0;
      for (const name of names) {
        const path = join(tempDir, name);
        const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return null;
          throw e;
        });
        if (info === null || !info.isFile() || info.mtimeMs >= before.getTime()) continue;
        await rm(path, { force: true });
        removed += 1;
      }
      return removed;
    },

    /** Drops a received file that will not be kept. */
    discard: (received: Pick<Received, 'tempPath'>): Promise<void> =>
      rm(received.tempPath, { force: true }),

    /**
     * The stored file as a stream, or null when it is not there. Opened before it is
     * measured, so a removal meanwhile cannot cut the stream short.
     */
    async open(sha256: string): Promise<{ stream: ReadStream; size: number } | null> {
      let handle;
      try {
        handle = await open(pathOf(sha256), 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
      const { size } = await handle.stat();
      return { stream: handle.createReadStream(), size };
    },

    async has(sha256: string): Promise<boolean> {
      try {
        await stat(pathOf(sha256));
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw e;
      }
    },

    /** Removes a stored file; removing one that is gone already is fine (at-least-once callers). */
    async remove(sha256: string): Promise<void> {
      try {
        await unlink(pathOf(sha256));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    },
  };
}
export type FileStore = ReturnType<typeof fileStore>;
