import { jwtClaims, needsRenewal, signedInUserOf, tokenSetFrom } from './token-set';

const jwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

describe('token sets', () => {
  it('expire expires_in seconds after they were received', () => {
    const tokens = tokenSetFrom(
      { access_token: 'a', token_type: 'Bearer', expires_in: 300, id_token: 'i' },
      1_000,
    );
    expect(tokens).toEqual({
      accessToken: 'a',
      idToken: 'i',
      refreshToken: null,
      expiresAt: 301_000,
    });
    expect(needsRenewal(tokens, 280_000)).toBe(false);
    expect(needsRenewal(tokens, 281_000)).toBe(true);
  });

  it('refuse an answer without an access token', () => {
    expect(() => tokenSetFrom({ access_token: '', token_type: 'Bearer' }, 0)).toThrow(
      /without an access token/,
    );
  });

  it('name a customer with its account, and an operator with none', () => {
    const customer = signedInUserOf({
      accessToken: jwt({ sub: 'u1', scope: 'openid email customer', account_id: 'acc-1' }),
      idToken: jwt({ sub: 'u1', email: 'customer@contoso.example' }),
      refreshToken: null,
      expiresAt: 0,
    });
    expect(customer).toEqual({
      role: 'customer',
      accountId: 'acc-1',
      displayName: 'customer@contoso.example',
      subject: 'u1',
    });
    const operator = signedInUserOf({
      accessToken: jwt({ sub: 'u2', scope: 'openid operator' }),
      idToken: null,
      refreshToken: null,
      expiresAt: 0,
    });
    expect(operator).toEqual({
      role: 'operator',
      accountId: null,
      displayName: 'u2',
      subject: 'u2',
    });
  });

  it('read claims written in UTF-8', () => {
    expect(jwtClaims(jwt({ name: 'Zoë' })).name).toBe('Zoë');
    expect(() => jwtClaims('not-a-jwt')).toThrow();
  });
});
