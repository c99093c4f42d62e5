import { hash, randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { isUniqueViolation } from '../db/database.ts';
import { newId } from '../shared/ids.ts';
import { toPage, type Page } from '../shared/pagination.ts';
import { ok, type AppError, type Result } from '../shared/result.ts';
import { isStorableText } from '../shared/text.ts';
import { hashingPool, type HashingPool } from './hashing-pool.ts';
import { identityFail, identityLimited, type IdentityErrorCode } from './identity.errors.ts';
import { identityRepository, type SessionRow } from './identity.repository.ts';
import { sessionCache } from './session-cache.ts';
import { SESSION_DAYS, type Account, type SignUp, type Viewer } from './identity.ts';
import { dummyHash, hashPassword, verifyPassword } from './password.ts';
import {
  ADDRESS_WINDOW_MS,
  HANDLE_WINDOW_MS,
  SIGN_UP_WINDOW_MS,
  nextSignInAt,
  retryAfterSeconds,
} from './throttle.ts';
import { throttleRepository } from './throttle.repository.ts';

// One-shot hash: every signed-in request pays for it, and it builds no Hash object.
export const hashToken = (token: string): string => hash('sha256', token, 'base64url');

/** Who is asking, as far as the sign-in throttle and the sessions list care. */
export type Client = { address: string; userAgent?: string | undefined };

export type SessionSummary = {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
};

// last_used_at moves at most once a minute per session, so reads stay reads.
const TOUCH_INTERVAL_MS = 60_000;
const MAX_USER_AGENT = 300;
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

type Failure = AppError<IdentityErrorCode>;

const serverBusy = () =>
  identityLimited(
    'server_busy',
    'Too many passwords are being checked right now; try again in a moment',
    1,
  );

const storableAgent = (ua: string | undefined): string | null => {
  const cut = ua?.slice(0, MAX_USER_AGENT);
  return cut && isStorableText(cut) ? cut : null;
};

export function identityService(deps: Deps, pool: HashingPool = hashingPool(deps.hashing)) {
  const repo = identityRepository(deps.db);
  // Signed-in reads skip the session query while an entry is fresh (session-cache.ts).
  const sessions = sessionCache();
  const throttle = throttleRepository(deps.db, deps.dialect);
  const now = () => deps.clock.now();
  const cost = deps.passwordCost;
  // Unknown handles (and commune handles) are checked against this, so they take as long.
  const dummy = dummyHash(cost);

  /**
   * Counts a password guess against the handle and the address before it is checked, then
   * checks it in the hashing pool. Every path that takes a password goes through here.
   */
  async function checkPassword(
    handle: string,
    password: string,
    client: Client,
  ): Promise<Result<Account, Failure>> {
    const at = now();
    const attemptId = newId();
    const begun = await throttle.beginSignIn(
      { id: attemptId, handle, address: client.address, now: at },
      {
        handle: new Date(at.getTime() - HANDLE_WINDOW_MS).toISOString(),
        address: new Date(at.getTime() - ADDRESS_WINDOW_MS).toISOString(),
      },
      (history) => nextSignInAt(history, at),
    );
    if (!begun.admitted)
      return identityLimited(
        'too_many_attempts',
        'Too many failed sign-ins; wait before trying again',
        // From now, not from `at`: the lock may have been held by attempts that began later.
        retryAfterSeconds(begun.until, now()),
      );
    const found = await repo.findCredentials(handle);
    const verifying = pool.run(() => verifyPassword(password, found?.passwordHash ?? dummy));
    if (!verifying) {
      await throttle.withdraw(attemptId);
      return serverBusy();
    }
    const valid = await verifying;
    const settledAt = now().toISOString();
    if (!valid || !found) {
      await throttle.settleFailure(attemptId, settledAt);
      return identityFail('invalid_credentials', 'The handle or password is wrong');
    }
    await throttle.settleSuccess(attemptId, handle, settledAt);
    return ok({ id: found.id, handle: found.handle, displayName: found.displayName });
  }

  return {
    async signUp(input: SignUp, client: Client): Promise<Result<Account, Failure>> {
      if (await repo.handleExists(input.handle))
        return identityFail('handle_taken', `The handle ${input.handle} is taken`, {
          field: 'handle',
        });
      const at = now();
      const attemptId = newId();
      const begun = await throttle.beginSignUp(
        { id: attemptId, address: client.address, now: at },
        new Date(at.getTime() - SIGN_UP_WINDOW_MS).toISOString(),
        deps.config.signUpsPerHour,
      );
      if (!begun.admitted)
        return identityLimited(
          'too_many_sign_ups',
          'Too many accounts were created from this address; try again later',
          retryAfterSeconds(new Date(begun.oldestCounted.getTime() + SIGN_UP_WINDOW_MS), now()),
        );
      const hashing = pool.run(() => hashPassword(input.password, cost));
      if (!hashing) {
        await throttle.withdrawSignUp(attemptId);
        return serverBusy();
      }
      const passwordHash = await hashing;
      const account = {
        id: newId(),
        handle: input.handle,
        displayName: input.displayName ?? input.handle,
      };
      try {
        await repo.insertAccount({ ...account, passwordHash, createdAt: now().toISOString() });
      } catch (e) {
        // Two sign-ups raced for one handle; the database's unique key decided.
        if (isUniqueViolation(e))
          return identityFail('handle_taken', `The handle ${input.handle} is taken`, {
            field: 'handle',
          });
        throw e;
      }
      return ok(account);
    },
    async signIn(
      handle: string,
      password: string,
      client: Client,
    ): Promise<
      Result<{ token: string; csrfToken: string; account: Account; expiresAt: Date }, Failure>
    > {
      const checked = await checkPassword(handle, password, client);
      if (!checked.ok) return checked;
      const at = now();
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const expiresAt = new Date(at.getTime() + SESSION_DAYS * 86_400_000);
      await repo.insertSession({
        tokenHash: hashToken(token),
        accountId: checked.value.id,
        csrfToken,
        createdAt: at.toISOString(),
        expiresAt: expiresAt.toISOString(),
        publicId: randomBytes(16).toString('base64url'),
        userAgent: storableAgent(client.userAgent),
      });
      return ok({ token, csrfToken, account: checked.value, expiresAt });
    },
    async viewerFor(token: string, via: Viewer['via']): Promise<Viewer | null> {
      const tokenHash = hashToken(token);
      const at = now();
      const atMs = at.getTime();
      // A hit compares numbers: no ISO string per request, only when the database is asked.
      let s = sessions.get(tokenHash);
      if (s && s.expiresAtMs <= atMs) s = undefined;
      if (!s) {
        const generation = sessions.generation();
        const r = await repo.findLiveSession(tokenHash, at.toISOString());
        if (!r) return null;
        s = {
          accountId: r.id,
          handle: r.handle,
          displayName: r.display_name,
          csrfToken: r.csrf_token,
          publicId: r.public_id,
          expiresAt: r.expires_at,
          expiresAtMs: Date.parse(r.expires_at),
          lastUsedMs: r.last_used_at ? Date.parse(r.last_used_at) : 0,
        };
        sessions.set(tokenHash, s, generation);
      }
      if (atMs - s.lastUsedMs >= TOUCH_INTERVAL_MS) {
        s.lastUsedMs = atMs;
        await repo.touchSession(tokenHash, at.toISOString());
      }
      return {
        id: s.accountId,
        handle: s.handle,
        displayName: s.displayName,
        csrfToken: s.csrfToken,
        via,
        tokenHash,
        sessionId: s.publicId,
      };
    },
    async signOut(viewer: Viewer): Promise<void> {
      await repo.revokeSession(viewer.tokenHash, now().toISOString());
      sessions.forget(viewer.tokenHash);
    },
    async sessionsOf(
      viewer: Viewer,
      page: { limit: number; before?: string | undefined },
    ): Promise<Result<Page<SessionSummary>, Failure>> {
      let before: { createdAt: string; publicId: string } | undefined;
      if (page.before !== undefined) {
        const [createdAt, publicId] = page.before.split('|');
        if (!createdAt || !publicId || Number.isNaN(Date.parse(createdAt)))
          return identityFail('invalid_cursor', 'before: not a cursor from this list', {
            field: 'before',
          });
        before = { createdAt, publicId };
      }
      const rows = await repo.liveSessions(viewer.id, now().toISOString(), {
        limit: page.limit,
        ...(before ? { before } : {}),
      });
      const p = toPage(rows, page.limit, (r: SessionRow) => `${r.created_at}|${r.public_id}`);
      return ok({
        items: p.items.map((r) => ({
          id: r.public_id,
          createdAt: r.created_at,
          lastUsedAt: r.last_used_at,
          expiresAt: r.expires_at,
          userAgent: r.user_agent,
          current: r.token_hash === viewer.tokenHash,
        })),
        next: p.next,
      });
    },
    /** Ends one of the viewer's sessions; it may be the current one. */
    async endSession(
      viewer: Viewer,
      publicId: string,
    ): Promise<Result<{ current: boolean }, Failure>> {
      // Ids are base64url; anything else names no session (and is not looked up).
      if (!SESSION_ID.test(publicId))
        return identityFail('session_not_found', 'No such live session of yours');
      const ended = await repo.revokeByPublicId(viewer.id, publicId, now().toISOString());
      sessions.forgetAccount(
        viewer.id,
        publicId === viewer.sessionId ? undefined : viewer.tokenHash,
      );
      if (!ended) return identityFail('session_not_found', 'No such live session of yours');
      return ok({ current: publicId === viewer.sessionId });
    },
    async endOtherSessions(viewer: Viewer): Promise<number> {
      const ended = await repo.revokeOthers(viewer.id, viewer.tokenHash, now().toISOString());
      sessions.forgetAccount(viewer.id, viewer.tokenHash);
      return ended;
    },
    /** Needs the current password (a guess, throttled like a sign-in); ends the other sessions. */
    async changePassword(
      viewer: Viewer,
      input: { current: string; next: string },
      client: Client,
    ): Promise<Result<null, Failure>> {
      const checked = await checkPassword(viewer.handle, input.current, client);
      if (!checked.ok)
        return checked.error.code === 'invalid_credentials'
          ? identityFail('wrong_password', 'The current password is wrong', { field: 'current' })
          : checked;
      const hashing = pool.run(() => hashPassword(input.next, cost));
      if (!hashing) return serverBusy();
      await repo.changePassword(viewer.id, await hashing, viewer.tokenHash, now().toISOString());
      sessions.forgetAccount(viewer.id, viewer.tokenHash);
      return ok(null);
    },
    findByHandle: (handle: string) => repo.findByHandle(handle),
    /** For tests: how busy the hashing pool is. */
    hashingLoad: () => pool.load(),
  };
}
export type IdentityService = ReturnType<typeof identityService>;
