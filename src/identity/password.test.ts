import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OWASP_SCRYPT_COST, hashPassword, verifyPassword } from './password.ts';

describe('password hashing', () => {
  it('uses scrypt at the OWASP cost by default and verifies', async () => {
    const stored = await hashPassword('correct horse battery');
    assert.match(stored, new RegExp(`^scrypt\\$${OWASP_SCRYPT_COST}\\$8\\$1\\$`));
    assert.equal(OWASP_SCRYPT_COST, 17);
    assert.equal(await verifyPassword('correct horse battery', stored), true);
    assert.equal(await verifyPassword('correct horse batterx', stored), false);
  });

  it('salts every hash and keeps the cost inside the stored string', async () => {
    const a = await hashPassword('same password!', 10);
    const b = await hashPassword('same password!', 10);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('same password!', b), true);
  });

  it('rejects malformed stored hashes instead of throwing', async () => {
    assert.equal(await verifyPassword('x', 'bcrypt$whatever'), false);
    assert.equal(await verifyPassword('x', ''), false);
  });
});
