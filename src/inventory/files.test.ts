import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { found, join as joinCommune } from '../communes/communes.fixtures.ts';
import { availableDatabases } from '../db/testing.ts';
import { fileStore } from './file-store.ts';
import { EXE, HTML, PDF, PNG, download, item, send, upload } from './files.fixtures.ts';

// Uploading and downloading item files over HTTP on both databases: the limits, the type
// taken from the bytes, the headers a download carries, and idempotent re-uploads.

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const MB = 1024 * 1024;

for (const { kind, skip } of await availableDatabases()) {
  describe(`item files on ${kind}`, { skip }, () => {
    let t: TestApp;
    let alice: string; // steward of garden
    let bob: string; // member of garden
    let dave: string; // another member of garden
    let carol: string; // outsider
    const filesDir = () => t.deps.config.files.dir;
    const store = () => fileStore(filesDir());
    /** Files left in the temp folder: none once any request has finished. */
    const temps = () =>
      existsSync(join(filesDir(), 'tmp')) ? readdirSync(join(filesDir(), 'tmp')) : [];
    const list = async (id: string, token?: string) =>
      (await t.get(`/api/v1/items/${id}/files`, token)).body.items as { sha256: string }[];

    before(async () => {
      t = await startTestApp(kind);
      alice = await t.person('alice');
      bob = await t.person('bob');
      dave = await t.person('dave');
      carol = await t.person('carol');
      await found(t, alice, 'garden');
      for (const token of [bob, dave])
        assert.equal((await joinCommune(t, token, 'garden')).status, 201);
    });
    after(() => t.close());

    it('stores a file by its hash and serves it with safe headers', async () => {
      const id = await item(t, bob, 'garden');
      const name = 'Plan de récolte "été".pdf';
      const r = await upload(t, id, bob, PDF, name, 'application/pdf');
      assert.equal(r.status, 201);
      const h = sha(PDF);
      assert.deepEqual(
        { ...r.body, addedAt: undefined },
        {
          sha256: h,
          name,
          type: 'application/pdf',
          size: PDF.length,
          url: `/api/v1/items/${id}/files/${h}`,
          addedAt: undefined,
        },
      );
      assert.equal(await store().has(h), true);

      const d = await download(t, r.body.url, bob);
      assert.equal(d.status, 200);
      assert.deepEqual(d.bytes, PDF);
      assert.equal(d.headers.get('content-type'), 'application/pdf');
      assert.equal(d.headers.get('content-length'), String(PDF.length));
      assert.equal(
        d.headers.get('content-disposition'),
        `attachment; filename="Plan de r_colte __t__.pdf"; filename*=UTF-8''Plan%20de%20r%C3%A9colte%20%22%C3%A9t%C3%A9%22.pdf`,
      );
      assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(d.headers.get('content-security-policy'), "default-src 'none'; sandbox");
      assert.equal(d.headers.get('etag'), `"${h}"`);
      assert.equal(d.headers.get('cache-control'), 'private, no-cache');

      const again = await download(t, r.body.url, bob, { 'if-none-match': `"${h}"` });
      assert.equal(again.status, 304);
      assert.equal(again.bytes.length, 0);
      assert.equal(again.headers.get('etag'), `"${h}"`);
      const other = await download(t, r.body.url, bob, { 'if-none-match': `"${sha(PNG)}"` });
      assert.equal(other.status, 200);
    });

    it('takes the type from the bytes and ignores what the client claims', async () => {
      const id = await item(t, bob, 'garden');
      // A PDF sent as an image named .png: stored and served as a PDF, named to match.
      const r = await upload(t, id, bob, PDF, 'scan.png', 'image/png');
      assert.equal(r.status, 201);
      assert.equal(r.body.type, 'application/pdf');
      assert.equal(r.body.name, 'scan.png.pdf');
      const d = await download(t, r.body.url, bob);
      assert.equal(d.headers.get('content-type'), 'application/pdf');
      // A PNG claimed to be text is an image.
      const p = await upload(t, id, bob, PNG, 'pixel.png', 'text/plain');
      assert.equal(p.body.type, 'image/png');
      // Text gets its type from its extension, once the bytes are known to be text.
      const md = await upload(
        t,
        id,
        bob,
        Buffer.from('# Seeds\n\nÀ garder.\n'),
        'notes.md',
        'image/png',
      );
      assert.equal(md.status, 201);
      assert.equal(md.body.type, 'text/markdown');
      const dm = await download(t, md.body.url, bob);
      assert.equal(dm.headers.get('content-type'), 'text/markdown; charset=utf-8');
    });

    it('refuses with 415 what is not an allowed type, whatever it is called', async () => {
      const id = await item(t, bob, 'garden');
      const cases: [Buffer, string, string][] = [
        [EXE, 'holiday.png', 'image/png'],
        [EXE, 'setup.exe', 'application/octet-stream'],
        [HTML, 'holiday.png', 'image/png'],
        [HTML, 'page.html', 'text/html'],
        [
          Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
          'x.svg',
          'image/svg+xml',
        ],
        [Buffer.from('<?xml version="1.0"?><a/>'), 'a.txt', 'text/plain'],
        [Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x10]), 'data.txt', 'text/plain'],
      ];
      for (const [bytes, name, claimed] of cases) {
        const r = await upload(t, id, bob, bytes, name, claimed);
        assert.equal(r.status, 415, name);
        assert.equal(r.body.error.code, 'file_type_not_allowed', name);
        assert.equal(await store().has(sha(bytes)), false, name);
      }
      assert.deepEqual(await list(id, bob), []);
      assert.deepEqual(temps(), []);
    });

    it('keeps identical bytes once and answers 200 the second time', async () => {
      const id = await item(t, bob, 'garden');
      const first = await upload(t, id, bob, PNG, 'first.png', 'image/png');
      assert.equal(first.status, 201);
      const second = await upload(t, id, alice, PNG, 'second.png', 'image/png');
      assert.equal(second.status, 200);
      assert.deepEqual(second.body, first.body, 'the file already there, first name kept');
      assert.equal((await list(id, bob)).length, 1);
    });

    it('allows at most ITEM_FILES_MAX files on an item (422 after)', async () => {
      const id = await item(t, bob, 'garden');
      for (let i = 0; i < 10; i++)
        assert.equal(
          (await upload(t, id, bob, Buffer.from(`note ${i}\n`), `n${i}.txt`)).status,
          201,
        );
      const eleventh = await upload(t, id, bob, Buffer.from('one too many\n'), 'n10.txt');
      assert.equal(eleventh.status, 422);
      assert.equal(eleventh.body.error.code, 'too_many_files');
      assert.equal(eleventh.body.error.details.maxPerItem, 10);
      assert.equal((await list(id, bob)).length, 10);
      assert.equal(await store().has(sha(Buffer.from('one too many\n'))), false);
      // A file it already carries is still answered as such.
      assert.equal((await upload(t, id, bob, Buffer.from('note 3\n'), 'again.txt')).status, 200);
    });

    it('takes 10 MB and refuses 10 MB and one byte with 413, keeping nothing', async () => {
      const id = await item(t, bob, 'garden');
      const exact = Buffer.alloc(10 * MB, 'a');
      assert.equal((await upload(t, id, bob, exact, 'big.txt')).status, 201);
      const over = Buffer.alloc(10 * MB + 1, 'b');
      const r = await upload(t, id, bob, over, 'bigger.txt');
      assert.equal(r.status, 413);
      assert.equal(r.body.error.code, 'file_too_large');
      assert.equal(await store().has(sha(over)), false);
      assert.deepEqual(temps(), []);
      assert.equal((await list(id, bob)).length, 1);
      // A body announced beyond the route's allowance is refused before it is read.
      const huge = await send(t, id, bob, 'x', {
        'content-type': 'multipart/form-data; boundary=x',
        'content-length': String(11 * MB),
      });
      assert.equal(huge.status, 413);
      assert.equal(huge.body.error.code, 'body_too_large');
    });

    it('answers a clear 4xx to malformed uploads and changes nothing', async () => {
      const id = await item(t, bob, 'garden');
      const json = await t.post(`/api/v1/items/${id}/files`, { file: 'x' }, bob);
      assert.equal(json.status, 415);
      assert.equal(json.body.error.code, 'unsupported_media_type');
      const noFile = new FormData();
      noFile.append('other', new File([PNG], 'p.png'));
      assert.equal((await send(t, id, bob, noFile)).body.error.code, 'file_missing');
      const twoFiles = new FormData();
      twoFiles.append('file', new File([PNG], 'p.png'));
      twoFiles.append('file', new File([PDF], 'p.pdf'));
      assert.equal((await send(t, id, bob, twoFiles)).status, 400);
      const asText = new FormData();
      asText.append('file', 'not a file');
      assert.equal((await send(t, id, bob, asText)).body.error.code, 'file_missing');
      const empty = await upload(t, id, bob, new Uint8Array(0), 'empty.txt');
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error.code, 'file_empty');
      const broken = await send(t, id, bob, '--x\r\nContent-Disposition: form-data; name="file"', {
        'content-type': 'multipart/form-data; boundary=x',
      });
      assert.equal(broken.status, 400);
      assert.equal(broken.body.error.code, 'malformed_multipart');
      assert.deepEqual(await list(id, bob), []);
      assert.deepEqual(temps(), []);
    });

    it('lets only the author or a steward add files, and only to resources', async () => {
      const id = await item(t, bob, 'garden', { visibility: 'public' });
      const text = (s: string) => Buffer.from(`${s}\n`);
      assert.equal((await upload(t, id, undefined, text('anon'), 'a.txt')).status, 401);
      const outsider = await upload(t, id, carol, text('carol'), 'c.txt');
      assert.equal(outsider.status, 403);
      assert.equal(outsider.body.error.code, 'not_item_editor');
      const member = await upload(t, id, dave, text('dave'), 'd.txt');
      assert.equal(member.status, 403);
      assert.equal(member.body.error.code, 'not_item_editor');
      assert.equal((await upload(t, id, alice, text('steward'), 's.txt')).status, 201);
      assert.equal((await upload(t, id, bob, text('author'), 'b.txt')).status, 201);
      const hidden = await item(t, bob, 'garden', { visibility: 'commune' });
      const refused = await upload(t, hidden, carol, text('x'), 'x.txt');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'members_only');
      const guide = await item(t, bob, 'garden', { kind: 'guide' });
      const notResource = await upload(t, guide, bob, text('g'), 'g.txt');
      assert.equal(notResource.status, 422);
      assert.equal(notResource.body.error.code, 'not_a_resource');
      const unknown = await upload(
        t,
        '0190a0b0-0000-7000-8000-000000000000',
        bob,
        text('u'),
        'u.txt',
      );
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'item_not_found');
      assert.deepEqual(
        (await list(id, bob)).map((f) => f.sha256).sort(),
        [sha(text('steward')), sha(text('author'))].sort(),
      );
    });

    it('refuses files on a deleted item and lists none there', async () => {
      const id = await item(t, bob, 'garden');
      const r = await upload(t, id, bob, PNG, 'p.png');
      assert.equal(r.status, 201);
      assert.equal((await t.del(`/api/v1/items/${id}`, bob)).status, 204);
      const late = await upload(t, id, bob, PDF, 'late.pdf');
      assert.equal(late.status, 409);
      assert.equal(late.body.error.code, 'item_deleted');
      assert.deepEqual(await list(id, bob), []);
      assert.equal((await download(t, r.body.url, bob)).status, 404);
    });

    it('answers 404 for a file the item does not carry', async () => {
      const id = await item(t, bob, 'garden');
      const other = await item(t, bob, 'garden');
      const r = await upload(t, other, bob, Buffer.from('elsewhere\n'), 'e.txt');
      for (const s of [r.body.sha256, 'f'.repeat(64), 'not-a-hash', '..%2F..%2Fetc%2Fpasswd']) {
        const d = await t.get(`/api/v1/items/${id}/files/${s}`, bob);
        assert.equal(d.status, 404, s);
        assert.equal(d.body.error.code, 'file_not_found', s);
      }
    });
  });
}
