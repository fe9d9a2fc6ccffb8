import { grantedScopes, planConsent } from './consent-plan';

const API = 'urn:drone-delivery:api';

describe('planConsent', () => {
  const asked = {
    missingOIDCScope: ['openid', 'email', 'customer', 'operator'],
    missingResourceScopes: { [API]: ['customer', 'operator'] },
  };

  it('grants a customer the identity scopes and customer, and rejects operator', () => {
    const plan = planConsent(asked, 'customer');

    expect(plan).toEqual({
      oidc: { granted: ['openid', 'email', 'customer'], rejected: ['operator'] },
      resources: { [API]: { granted: ['customer'], rejected: ['operator'] } },
    });
    expect(grantedScopes(plan)).toEqual(['openid', 'email', 'customer']);
  });

  it('grants an operator operator, and rejects customer', () => {
    const plan = planConsent(asked, 'operator');

    expect(plan.resources[API]).toEqual({ granted: ['operator'], rejected: ['customer'] });
    expect(grantedScopes(plan)).toEqual(['openid', 'email', 'operator']);
  });

  it('grants nothing of the API when only identity scopes were asked for', () => {
    const plan = planConsent({ missingOIDCScope: ['openid'] }, 'customer');

    expect(plan).toEqual({ oidc: { granted: ['openid'], rejected: [] }, resources: {} });
  });
});
