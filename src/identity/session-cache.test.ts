import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionCache, type CachedSession } from './session-cache.ts';

const session = (accountId: string): CachedSession => ({
  accountId,
  handle: accountId,
  displayName: accountId,
  csrfToken: 'csrf',
  publicId: `p-${accountId}`,
  expiresAt: '2099-01-01T00:00:00.000Z',
  expiresAtMs: Date.parse('2099-01-01T00:00:00.000Z'),
  lastUsedMs: 0,
});

describe('the session cache', () => {
  it('trusts an entry for its time to live, then asks the database again', () => {
    let t = 0;
    const cache = sessionCache({ ttlMs: 1_000, monotonic: () => t });
    cache.set('h1', session('ann'), cache.generation());
    t = 1_000;
    assert.equal(cache.get('h1')?.accountId, 'ann');
    t = 1_001;
    assert.equal(cache.get('h1'), undefined, 'older than the bound: gone');
    assert.equal(cache.size(), 0);
  });

  it('forgets a revoked session at once, and every session of an account but the one kept', () => {
    const cache = sessionCache();
    for (const [hash, who] of [
      ['a1', 'ann'],
      ['a2', 'ann'],
      ['b1', 'ben'],
    ] as const)
      cache.set(hash, session(who), cache.generation());
    cache.forget('b1');
    assert.equal(cache.get('b1'), undefined);
    cache.forgetAccount('ann', 'a2');
    assert.deepEqual([cache.get('a1'), cache.get('a2')?.accountId], [undefined, 'ann']);
    cache.forgetAccount('ann');
    assert.equal(cache.get('a2'), undefined);
  });

  it('does not store a read that began before a revocation', () => {
    const cache = sessionCache();
    const before = cache.generation();
    cache.forget('a1'); // revoked while the read was in flight
    cache.set('a1', session('ann'), before);
    assert.equal(cache.get('a1'), undefined);
  });

  it('keeps at most its size, dropping the least recently used', () => {
    const cache = sessionCache({ size: 2 });
    cache.set('x', session('x'), cache.generation());
    cache.set('y', session('y'), cache.generation());
    cache.get('x');
    cache.set('z', session('z'), cache.generation());
    assert.deepEqual(
      ['x', 'y', 'z'].map((h) => cache.get(h)?.accountId ?? null),
      ['x', null, 'z'],
    );
  });
});
