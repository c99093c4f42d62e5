import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { communeWith, outcome, writeItem } from './items.fixtures.ts';

// Version history over HTTP: append-only, diffs, and concurrent edits (one wins), both databases.
for (const { kind, skip } of await availableDatabases()) {
  describe(`inventory versions on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tok: Record<string, string> = {};

    before(async () => {
      t = await startTestApp(kind);
      for (const h of ['ada', 'bo']) tok[h] = await t.person(h);
      await communeWith(t, 'garden', tok.ada!, [tok.bo!]);
    });
    after(() => t.close());

    it('keeps every version as it was written: who, when and what', async () => {
      const item = await writeItem(t, tok.bo!, 'garden', { title: 'One', body: 'a\nb\nc\n' });
      const first = (await t.get(`/api/v1/items/${item.id}/versions/1`)).body;
      const edits = [
        { by: 'ada', change: { title: 'Two', body: 'a\nB\nc\n' } },
        { by: 'bo', change: { kind: 'skill', tags: ['x'] } },
        { by: 'ada', change: { visibility: 'commune', license: 'CC0-1.0' } },
      ];
      for (const [i, e] of edits.entries()) {
        const r = await t.put(
          `/api/v1/items/${item.id}`,
          { baseVersion: i + 1, ...e.change },
          tok[e.by],
        );
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.version, i + 2);
      }
      assert.deepEqual((await t.get(`/api/v1/items/${item.id}/versions/1`, tok.bo)).body, first);
      assert.equal(first.title, 'One');
      assert.equal(first.editedBy.handle, 'bo');
      assert.match(first.html, /<p>a\nb\nc<\/p>/);

      const list = (await t.get(`/api/v1/items/${item.id}/versions`, tok.bo)).body;
      assert.deepEqual(
        list.items.map((v: { version: number; editedBy: { handle: string } }) => [
          v.version,
          v.editedBy.handle,
        ]),
        [
          [4, 'ada'],
          [3, 'bo'],
          [2, 'ada'],
          [1, 'bo'],
        ],
      );
      const times = list.items.map((v: { editedAt: string }) => v.editedAt);
      assert.deepEqual([...times].sort().reverse(), times, 'newest first');

      const paged: number[] = [];
      let next: string | null = null;
      do {
        const page = await t.get(
          `/api/v1/items/${item.id}/versions?limit=3${next ? `&before=${next}` : ''}`,
          tok.bo,
        );
        paged.push(...page.body.items.map((v: { version: number }) => v.version));
        next = page.body.next;
      } while (next);
      assert.deepEqual(paged, [4, 3, 2, 1]);

      const v4 = (await t.get(`/api/v1/items/${item.id}/versions/4`, tok.bo)).body;
      assert.deepEqual(
        [v4.kind, v4.tags, v4.visibility, v4.license, v4.title],
        ['skill', ['x'], 'commune', 'CC0-1.0', 'Two'],
      );
    });

    it('diffs any two versions: title by word, body by line, other fields by name', async () => {
      const item = await writeItem(t, tok.bo!, 'garden', {
        title: 'Old title',
        body: 'keep\ndrop\n',
      });
      await t.put(
        `/api/v1/items/${item.id}`,
        { baseVersion: 1, title: 'New title', body: 'keep\nadd\n', tags: ['z'] },
        tok.bo,
      );
      const d = (await t.get(`/api/v1/items/${item.id}/diff?from=1&to=2`)).body;
      assert.deepEqual(d.body, [
        { op: 'same', text: 'keep\n' },
        { op: 'removed', text: 'drop\n' },
        { op: 'added', text: 'add\n' },
      ]);
      assert.deepEqual(
        d.title.filter((p: { op: string }) => p.op !== 'same'),
        [
          { op: 'removed', text: 'Old' },
          { op: 'added', text: 'New' },
        ],
      );
      assert.deepEqual(d.fields, [{ name: 'tags', from: ['compost', 'garden'], to: ['z'] }]);
      const back = (await t.get(`/api/v1/items/${item.id}/diff?from=2&to=1`)).body;
      assert.deepEqual(
        back.body.map((p: { op: string }) => p.op),
        ['same', 'removed', 'added'],
      );
      const same = (await t.get(`/api/v1/items/${item.id}/diff?from=2&to=2`)).body;
      assert.deepEqual(same.fields, []);
      assert.ok(same.body.every((p: { op: string }) => p.op === 'same'));
    });

    it('answers bad version numbers with a clear 4xx', async () => {
      const item = await writeItem(t, tok.bo!, 'garden');
      const cases: [string, string][] = [
        [`/versions/0`, '400 invalid_version'],
        [`/versions/abc`, '400 invalid_version'],
        [`/versions/2`, '404 version_not_found'],
        [`/versions/99999999999999999999`, '400 invalid_version'],
        [`/diff?from=1`, '400 invalid_version'],
        [`/diff?from=1&to=-1`, '400 invalid_version'],
        [`/diff?from=1&to=2`, '404 version_not_found'],
        [`/versions?before=xyz`, '400 invalid_cursor'],
        [`/versions?limit=0`, '400 invalid_input'],
      ];
      for (const [path, expected] of cases)
        assert.equal(outcome(await t.get(`/api/v1/items/${item.id}${path}`)), expected, path);
    });

    it('of concurrent edits from one version exactly one wins; the others get 409', async () => {
      for (let round = 0; round < 3; round++) {
        const item = await writeItem(t, tok.bo!, 'garden', { title: `Race ${round}` });
        const editors = ['ada', 'bo', 'ada', 'bo', 'ada'];
        const answers = await Promise.all(
          editors.map((who, i) =>
            t.put(`/api/v1/items/${item.id}`, { baseVersion: 1, title: `Edit ${i}` }, tok[who]),
          ),
        );
        const statuses = answers.map((a) => a.status).sort();
        assert.deepEqual(statuses, [200, 409, 409, 409, 409], JSON.stringify(answers));
        const winner = answers.find((a) => a.status === 200)!.body;
        for (const lost of answers.filter((a) => a.status === 409)) {
          assert.equal(lost.body.error.code, 'edit_conflict');
          assert.equal(lost.body.error.details.current.version, 2);
          assert.equal(lost.body.error.details.current.title, winner.title);
        }
        const now = (await t.get(`/api/v1/items/${item.id}`)).body;
        assert.equal(now.version, 2);
        assert.equal(now.title, winner.title);
        const versions = (await t.get(`/api/v1/items/${item.id}/versions`)).body.items;
        assert.equal(versions.length, 2, 'one new version, never two');
      }
    });
  });
}
