import { createHash, randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { isUniqueViolation } from '../db/database.ts';
import { newId } from '../shared/ids.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { identityRepository } from './identity.repository.ts';
import {
  SESSION_DAYS,
  SIGN_IN_WINDOW_MS,
  isThrottled,
  type Account,
  type SignUp,
  type Viewer,
} from './identity.ts';
import { hashPassword, verifyPassword } from './password.ts';

export const hashToken = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

export function identityService(deps: Deps) {
  const repo = identityRepository(deps.db);
  const now = () => deps.clock.now();

  return {
    async signUp(input: SignUp): Promise<Result<Account>> {
      if (await repo.handleExists(input.handle))
        return fail('conflict', 'handle_taken', `The handle ${input.handle} is taken`, 'handle');
      const account = {
        id: newId(),
        handle: input.handle,
        displayName: input.displayName ?? input.handle,
      };
      const passwordHash = await hashPassword(input.password, deps.passwordCost);
      try {
        await repo.insertAccount({ ...account, passwordHash, createdAt: now().toISOString() });
      } catch (e) {
        // Two sign-ups raced for one handle; the database's unique key decided.
        if (isUniqueViolation(e))
          return fail('conflict', 'handle_taken', `The handle ${input.handle} is taken`, 'handle');
        throw e;
      }
      return ok(account);
    },

    async signIn(
      handle: string,
      password: string,
      address: string,
    ): Promise<Result<{ token: string; csrfToken: string; account: Account; expiresAt: Date }>> {
      const at = now();
      const since = new Date(at.getTime() - SIGN_IN_WINDOW_MS).toISOString();
      const failures = await repo.countFailures(handle, address, since);
      if (isThrottled(failures.byHandle, failures.byAddress)) {
        return fail(
          'rate_limited',
          'too_many_attempts',
          'Too many failed sign-ins; wait a few minutes and try again',
        );
      }
      const found = await repo.findCredentials(handle);
      const valid = found ? await verifyPassword(password, found.passwordHash) : false;
      if (!found || !valid) {
        await repo.recordFailure({ id: newId(), handle, address, at: at.toISOString() });
        return fail('unauthenticated', 'invalid_credentials', 'The handle or password is wrong');
      }
      await repo.clearFailures(handle);
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const expiresAt = new Date(at.getTime() + SESSION_DAYS * 86_400_000);
      await repo.insertSession({
        tokenHash: hashToken(token),
        accountId: found.id,
        csrfToken,
        createdAt: at.toISOString(),
        expiresAt: expiresAt.toISOString(),
      });
      return ok({
        token,
        csrfToken,
        account: { id: found.id, handle: found.handle, displayName: found.displayName },
        expiresAt,
      });
    },

    async viewerFor(token: string, via: Viewer['via']): Promise<Viewer | null> {
      const tokenHash = hashToken(token);
      const r = await repo.findLiveSession(tokenHash, now().toISOString());
      return r
        ? {
            id: r.id,
            handle: r.handle,
            displayName: r.display_name,
            csrfToken: r.csrf_token,
            via,
            tokenHash,
          }
        : null;
    },

    async signOut(viewer: Viewer): Promise<void> {
      await repo.revokeSession(viewer.tokenHash, now().toISOString());
    },

    findByHandle: (handle: string) => repo.findByHandle(handle),
  };
}
export type IdentityService = ReturnType<typeof identityService>;
