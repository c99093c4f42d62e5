// Live sessions by token hash, as this process last read them (docs/adr/0026, "Signed-in
// reads"). Every signed-in request asked the database; now a hit costs a map lookup.
// Revocation: this process's own revocations evict at once (and a read that raced with one
// is not stored); another process's revocation is seen once the entry is older than
// SESSION_CACHE_MS of real time, when the next request reads the database again.

/** How long an entry is trusted without asking the database: the bound across processes. */
export const SESSION_CACHE_MS = 1_000;
/** Entries kept; the least recently used goes first. */
export const SESSION_CACHE_SIZE = 10_000;

export type CachedSession = {
  accountId: string;
  handle: string;
  displayName: string;
  csrfToken: string;
  publicId: string;
  expiresAt: string;
  /** expiresAt in milliseconds since the epoch, for the check every request makes. */
  expiresAtMs: number;
  /** Milliseconds since the epoch of the last touch this process knows of. */
  lastUsedMs: number;
};

type Entry = { session: CachedSession; readAt: number };

export function sessionCache(
  options: { ttlMs?: number; size?: number; monotonic?: () => number } = {},
) {
  const ttl = options.ttlMs ?? SESSION_CACHE_MS;
  const size = options.size ?? SESSION_CACHE_SIZE;
  const monotonic = options.monotonic ?? (() => performance.now());
  const entries = new Map<string, Entry>();
  // Bumped by every revocation: a database read begun before one must not be stored after it.
  let generation = 0;

  return {
    /** The generation to hand back to set(), taken before reading the database. */
    generation: () => generation,

    get(tokenHash: string): CachedSession | undefined {
      const e = entries.get(tokenHash);
      if (!e) return undefined;
      entries.delete(tokenHash);
      if (monotonic() - e.readAt > ttl) return undefined;
      entries.set(tokenHash, e); // most recently used last
      return e.session;
    },

    set(tokenHash: string, session: CachedSession, readGeneration: number): void {
      if (readGeneration !== generation) return;
      entries.delete(tokenHash);
      if (entries.size >= size) entries.delete(entries.keys().next().value!);
      entries.set(tokenHash, { session, readAt: monotonic() });
    },

    /** One session ended in this process. */
    forget(tokenHash: string): void {
      generation += 1;
      entries.delete(tokenHash);
    },

    /** Sessions of an account ended (by id, or all but one): drop all of the account's. */
    forgetAccount(accountId: string, keepTokenHash?: string): void {
      generation += 1;
      for (const [hash, e] of entries)
        if (e.session.accountId === accountId && hash !== keepTokenHash) entries.delete(hash);
    },

    size: () => entries.size,
  };
}
export type SessionCache = ReturnType<typeof sessionCache>;
