import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/support/app.ts';
import { availableDatabases } from '../db/testing.ts';
import { assertBooks, balances } from '../ledger/ledger.fixtures.ts';
import { communeWith, outcome, writeItem } from './items.fixtures.ts';

// Thanks, matches and conversations of the knowledge inventory, over HTTP, on both databases.
for (const { kind, skip } of await availableDatabases()) {
  describe(`inventory exchange on ${kind}`, { skip }, () => {
    let t: TestApp;
    const tok: Record<string, string> = {};

    before(async () => {
      t = await startTestApp(kind);
      for (const h of ['ada', 'bo', 'cy', 'out']) tok[h] = await t.person(h);
      await communeWith(t, 'garden', tok.ada!, [tok.bo!, tok.cy!]);
      await communeWith(t, 'other', tok.out!, []);
    });
    after(() => t.close());

    const thank = (id: string, token: string | undefined, body: Record<string, unknown>) =>
      t.post(`/api/v1/items/${id}/thanks`, body, token);

    it('pays the author with code thanks, once per id, and tells only the author the count', async () => {
      const item = await writeItem(t, tok.bo!, 'garden', { title: 'Seed saving' });
      const before = await balances(t, 'garden', tok.ada);
      const id = randomUUID();
      const first = await thank(item.id, tok.cy, { id, amount: 3, memo: 'lovely' });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.code, 'thanks');
      assert.equal(first.body.to, 'bo');
      assert.equal(first.body.from, 'cy');
      assert.equal(first.body.amount, 3);
      const again = await thank(item.id, tok.cy, { id, amount: 3, memo: 'lovely' });
      assert.equal(again.status, 200);
      assert.equal(again.body.id, first.body.id);
      assert.equal(
        outcome(await thank(item.id, tok.cy, { id, amount: 4 })),
        '409 idempotency_conflict',
      );
      await thank(item.id, tok.ada, { id: randomUUID(), amount: 1 });
      await thank(item.id, tok.cy, { id: randomUUID(), amount: 1 });
      const after = await balances(t, 'garden', tok.ada);
      assert.equal(after.bo! - before.bo!, 5);
      assert.equal(after.cy! - before.cy!, -4);
      await assertBooks(t, 'garden', tok.ada);

      const count = await t.get(`/api/v1/items/${item.id}/thanks`, tok.bo);
      assert.deepEqual(count.body, { people: 2, times: 3 });
      assert.equal(
        outcome(await t.get(`/api/v1/items/${item.id}/thanks`, tok.cy)),
        '403 author_only',
      );
      assert.equal(outcome(await t.get(`/api/v1/items/${item.id}/thanks`)), '401 not_signed_in');
      // The item itself carries no count: no popularity signals.
      const seen = await t.get(`/api/v1/items/${item.id}`, tok.cy);
      assert.equal(JSON.stringify(seen.body).includes('thank'), false);
    });

    it('refuses thanks to yourself, beyond the limit, from outsiders, to tombstones, and bad input', async () => {
      const item = await writeItem(t, tok.bo!, 'garden', { title: 'Bread oven' });
      const was = await balances(t, 'garden', tok.ada);
      const cases: [string | undefined, Record<string, unknown>, string][] = [
        [tok.bo, { id: randomUUID(), amount: 1 }, '422 thanks_to_self'],
        [tok.cy, { id: randomUUID(), amount: 1_000_000 }, '422 credit_limit_exceeded'],
        [tok.out, { id: randomUUID(), amount: 1 }, '422 not_allied'],
        [undefined, { id: randomUUID(), amount: 1 }, '401 not_signed_in'],
        [tok.cy, { id: 'not-a-uuid', amount: 1 }, '400 invalid_id'],
        [tok.cy, { id: randomUUID(), amount: 0 }, '400 invalid_amount'],
        [tok.cy, { id: randomUUID(), amount: 1.5 }, '400 invalid_amount'],
        [tok.cy, { id: randomUUID(), amount: 1, memo: 'x'.repeat(501) }, '400 invalid_memo'],
      ];
      for (const [token, body, expected] of cases)
        assert.equal(outcome(await thank(item.id, token, body)), expected, JSON.stringify(body));
      assert.equal(
        outcome(await thank(randomUUID(), tok.cy, { id: randomUUID(), amount: 1 })),
        '404 item_not_found',
      );
      // A thanks id already used for another item cannot be reused here.
      const other = await writeItem(t, tok.bo!, 'garden', { title: 'Kiln' });
      const id = randomUUID();
      assert.equal((await thank(other.id, tok.cy, { id, amount: 1 })).status, 201);
      assert.equal(
        outcome(await thank(item.id, tok.cy, { id, amount: 1 })),
        '409 idempotency_conflict',
      );
      // Only the one thanks that went through moved anything.
      assert.deepEqual(await balances(t, 'garden', tok.ada), {
        ...was,
        bo: was.bo! + 1,
        cy: was.cy! - 1,
      });
      assert.equal((await t.del(`/api/v1/items/${item.id}`, tok.bo)).status, 204);
      assert.equal(
        outcome(await thank(item.id, tok.cy, { id: randomUUID(), amount: 1 })),
        '409 item_deleted',
      );
    });

    it('ranks offers and skills that meet a need by words and shared tags', async () => {
      await communeWith(t, 'market', tok.ada!, [tok.bo!, tok.cy!]);
      const need = await writeItem(t, tok.ada!, 'market', {
        kind: 'need',
        title: 'Help repairing a bicycle wheel',
        body: 'My bicycle wheel is bent and the spokes are loose.',
        tags: ['bicycle', 'repair'],
        visibility: 'commune',
      });
      const spokes = await writeItem(t, tok.bo!, 'market', {
        kind: 'skill',
        title: 'Wheel truing and spokes',
        body: 'I true bicycle wheels and replace spokes.',
        tags: ['bicycle', 'repair'],
        visibility: 'commune',
      });
      const loan = await writeItem(t, tok.cy!, 'market', {
        kind: 'offer',
        title: 'Lending my bicycle pump',
        body: 'A floor pump, any time.',
        tags: ['tools'],
        visibility: 'public',
      });
      await writeItem(t, tok.cy!, 'market', {
        kind: 'offer',
        title: 'Sourdough starter',
        body: 'Fresh starter every week.',
        tags: ['bread'],
      });
      await writeItem(t, tok.bo!, 'market', {
        kind: 'guide',
        title: 'Bicycle wheel repair guide',
        body: 'Guides are not offers.',
        tags: ['bicycle', 'repair'],
      });
      const r = await t.get(`/api/v1/items/${need.id}/matches`, tok.ada);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(
        r.body.items.map((m: { item: { id: string } }) => m.item.id),
        [spokes.id, loan.id],
      );
      assert.deepEqual(r.body.items[0].sharedTags, ['bicycle', 'repair']);
      assert.ok(r.body.items[0].score > r.body.items[1].score);
      assert.equal(
        outcome(await t.get(`/api/v1/items/${spokes.id}/matches`, tok.ada)),
        '422 not_a_need',
      );
      // The need is for members only: outsiders learn nothing of it or its matches.
      assert.equal(
        outcome(await t.get(`/api/v1/items/${need.id}/matches`, tok.out)),
        '403 members_only',
      );
    });

    it('opens one conversation per person on an offer or a need, linked from the item', async () => {
      await communeWith(t, 'swap', tok.ada!, [tok.bo!, tok.cy!]);
      const need = await writeItem(t, tok.ada!, 'swap', {
        kind: 'need',
        title: 'Someone to water plants',
        body: 'Two weeks in August.',
        tags: ['plants'],
      });
      const opened = await t.post(`/api/v1/items/${need.id}/conversations`, undefined, tok.bo);
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      assert.equal(opened.body.person.handle, 'bo');
      assert.match(opened.body.thread.title, /^I can help: Someone to water plants/);
      const again = await t.post(`/api/v1/items/${need.id}/conversations`, undefined, tok.bo);
      assert.equal(again.status, 200);
      assert.equal(again.body.thread.id, opened.body.thread.id);
      const thread = await t.get(`/api/v1/threads/${opened.body.thread.id}`, tok.ada);
      assert.equal(thread.status, 200);
      assert.match(JSON.stringify(thread.body), new RegExp(`/items/${need.id}`));
      await t.post(`/api/v1/items/${need.id}/conversations`, undefined, tok.cy);
      const forAuthor = await t.get(`/api/v1/items/${need.id}/conversations`, tok.ada);
      assert.deepEqual(
        forAuthor.body.items.map((c: { person: { handle: string } }) => c.person.handle).sort(),
        ['bo', 'cy'],
      );
      const forBo = await t.get(`/api/v1/items/${need.id}/conversations`, tok.bo);
      assert.deepEqual(
        forBo.body.items.map((c: { person: { handle: string } }) => c.person.handle),
        ['bo'],
      );
      const guideItem = await writeItem(t, tok.ada!, 'swap', { kind: 'guide' });
      assert.equal(
        outcome(await t.post(`/api/v1/items/${guideItem.id}/conversations`, undefined, tok.bo)),
        '422 not_offer_or_need',
      );
      assert.equal(
        outcome(await t.post(`/api/v1/items/${need.id}/conversations`, undefined, tok.ada)),
        '422 own_item',
      );
      const publicNeed = await writeItem(t, tok.ada!, 'swap', {
        kind: 'need',
        visibility: 'public',
      });
      assert.equal(
        outcome(await t.post(`/api/v1/items/${publicNeed.id}/conversations`, undefined, tok.out)),
        '403 members_only',
      );
      assert.equal(
        outcome(await t.post(`/api/v1/items/${publicNeed.id}/conversations`, undefined)),
        '401 not_signed_in',
      );
    });

    it('opens exactly one conversation when the same person asks twice at once', async () => {
      await communeWith(t, 'rush', tok.ada!, [tok.bo!]);
      const offer = await writeItem(t, tok.ada!, 'rush', { kind: 'offer', title: 'Spare bike' });
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          t.post(`/api/v1/items/${offer.id}/conversations`, undefined, tok.bo),
        ),
      );
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 201]);
      assert.equal(new Set(answers.map((a) => a.body.thread.id)).size, 1);
      const threads = await t.get('/api/v1/communes/rush/threads', tok.ada);
      assert.equal(threads.body.items.length, 1);
    });
  });
}
