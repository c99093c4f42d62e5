import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TEMP_MAX_AGE_MS, fileStore, type FileStore } from './file-store.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bytes = (s: string) => new TextEncoder().encode(s);

async function* chunks(...parts: Uint8Array[]) {
  for (const p of parts) yield p;
}

/** Every file under dir, relative, except the temp folder's. */
function storedFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('file store', () => {
  let dir: string;
  let store: FileStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'commune-files-'));
    store = fileStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores bytes under their sha256 (ab/cdef…) only once committed', async () => {
    const content = bytes('hello, commune\n');
    const r = await store.receive(chunks(content.subarray(0, 5), content.subarray(5)), 100);
    assert.ok(r.ok);
    assert.equal(r.value.sha256, sha(content));
    assert.equal(r.value.size, content.length);
    assert.equal(r.value.isText, true);
    assert.equal(r.value.sniffed, undefined);
    // Received but not committed: nothing under a hash name yet.
    assert.deepEqual(
      storedFiles(dir).filter((f) => !f.startsWith('tmp')),
      [],
    );
    await store.commit(r.value);
    const h = sha(content);
    assert.deepEqual(storedFiles(dir), [join(h.slice(0, 2), h.slice(2))]);
    assert.deepEqual(readFileSync(store.pathOf(h)), Buffer.from(content));
    const opened = await store.open(h);
    assert.equal(opened?.size, content.length);
    assert.equal(await text(opened!.stream), 'hello, commune\n');
  });

  it('sniffs the type from the bytes', async () => {
    const pdf = bytes('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const r = await store.receive(chunks(pdf), 1000);
    assert.ok(r.ok);
    assert.deepEqual(r.value.sniffed, { mime: 'application/pdf', ext: 'pdf' });
    await store.discard(r.value);
    assert.deepEqual(storedFiles(dir), []);
  });

  it('commits the same bytes twice without harm', async () => {
    const content = bytes('same');
    for (let i = 0; i < 2; i++) {
      const r = await store.receive(chunks(content), 100);
      assert.ok(r.ok);
      await store.commit(r.value);
    }
    assert.equal(storedFiles(dir).length, 1);
  });

  it('stops reading past the limit and keeps nothing', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 1;
        yield new Uint8Array(64);
      }
    }
    const r = await store.receive(endless(), 1000);
    assert.deepEqual(r, { ok: false, error: 'too_large' });
    assert.equal(pulled, 16, 'it stops at the first chunk past the limit');
    assert.deepEqual(storedFiles(dir), []);
    const exact = await store.receive(chunks(new Uint8Array(1000)), 1000);
    assert.ok(exact.ok, 'exactly the limit is allowed');
  });

  it('refuses an empty file', async () => {
    assert.deepEqual(await store.receive(chunks(), 10), { ok: false, error: 'empty' });
    assert.deepEqual(storedFiles(dir), []);
  });

  it('leaves no file under a hash name when the source breaks off', async () => {
    async function* broken() {
      yield bytes('half of a file');
      throw new Error('connection reset');
    }
    await assert.rejects(store.receive(broken(), 1000), /connection reset/);
    assert.deepEqual(storedFiles(dir), []);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), [], 'the temp file stays behind');
  });

  it('removes the temp file when sniffing the type fails', async () => {
    const failing = fileStore(dir, async () => {
      throw new Error('sniffer broke');
    });
    await assert.rejects(failing.receive(chunks(bytes('some bytes')), 100), /sniffer broke/);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), []);
  });

  it('removes temp files left for longer than an upload takes, and only those', async () => {
    assert.equal(await store.sweepTemp(new Date()), 0, 'no temp folder yet');
    const stale = await store.receive(chunks(bytes('left by a crash')), 100);
    const fresh = await store.receive(chunks(bytes('being uploaded')), 100);
    assert.ok(stale.ok && fresh.ok);
    const hourAgo = new Date(Date.now() - TEMP_MAX_AGE_MS - 60_000);
    utimesSync(stale.value.tempPath, hourAgo, hourAgo);
    assert.equal(await store.sweepTemp(new Date(Date.now() - TEMP_MAX_AGE_MS)), 1);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), [basename(fresh.value.tempPath)]);
    // What was committed is never touched.
    await store.commit(fresh.value);
    assert.equal(await store.sweepTemp(new Date(Date.now() + 60_000)), 0);
    assert.equal(await store.has(fresh.value.sha256), true);
  });

  it('removes idempotently and reports a missing file as null', async () => {
    const r = await store.receive(chunks(bytes('gone soon')), 100);
    assert.ok(r.ok);
    await store.commit(r.value);
    assert.equal(await store.has(r.value.sha256), true);
    await store.remove(r.value.sha256);
    await store.remove(r.value.sha256);
    assert.equal(await store.has(r.value.sha256), false);
    assert.equal(await store.open(r.value.sha256), null);
  });

  it('never turns something other than a sha256 into a path', () => {
    for (const bad of ['../../etc/passwd', 'AB'.repeat(32), 'a'.repeat(63), ''])
      assert.throws(() => store.pathOf(bad), /not a sha256/);
  });
});

describe('file store, from a web stream', () => {
  it('reads a web stream and cancels it once past the limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'commune-files-'));
    try {
      const store = fileStore(dir);
      const ok = await store.receive(new Blob([bytes('from a form')]).stream(), 100);
      assert.ok(ok.ok);
      assert.equal(ok.value.sha256, sha(bytes('from a form')));
      let cancelled = false;
      const endless = new ReadableStream<Uint8Array>({
        pull: (c) => c.enqueue(new Uint8Array(100)),
        cancel: () => {
          cancelled = true;
        },
      });
      assert.deepEqual(await store.receive(endless, 250), { ok: false, error: 'too_large' });
      assert.equal(cancelled, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
