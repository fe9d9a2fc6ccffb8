import { hashSecret, UNKNOWN_SECRET_HASH, verifySecret } from './secret-hash';

describe('secret hashes', () => {
  it('verify the secret they were made from, and no other', async () => {
    const stored = await hashSecret('contoso-demo');

    await expect(verifySecret('contoso-demo', stored)).resolves.toBe(true);
    await expect(verifySecret('contoso-demo ', stored)).resolves.toBe(false);
  });

  it('are salted: the same secret twice gives two hashes', async () => {
    expect(await hashSecret('same')).not.toBe(await hashSecret('same'));
  });

  it('never match the stand-in hash spent on unknown users', async () => {
    await expect(verifySecret('', UNKNOWN_SECRET_HASH)).resolves.toBe(false);
  });
});
