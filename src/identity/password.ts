import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// OWASP Password Storage Cheat Sheet: scrypt with N=2^17, r=8, p=1.
export const OWASP_SCRYPT_COST = 17;
const KEY_LENGTH = 32;

const derive = (password: string, salt: Buffer, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { ...opts, maxmem: 256 * opts.N! * opts.r! },
      (e, key) => (e ? reject(e) : resolve(key)),
    ),
  );

/** Stored as `scrypt$logN$r$p$salt$key` so the cost can rise without breaking old hashes. */
export async function hashPassword(password: string, cost = OWASP_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N: 2 ** cost, r: 8, p: 1 });
  return ['scrypt', cost, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: 2 ** Number(logN),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A stored-hash-shaped string no password matches: checking against it costs what checking
 * a real hash of the same cost does, so unknown handles answer as slowly as known ones.
 */
export const dummyHash = (cost = OWASP_SCRYPT_COST): string =>
  [
    'scrypt',
    cost,
    8,
    1,
    randomBytes(16).toString('base64url'),
    randomBytes(32).toString('base64url'),
  ].join('$');
