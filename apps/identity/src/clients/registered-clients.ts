import { DEMO_ACCOUNTS, DEMO_CLIENTS } from '@drone-delivery/contracts';

/** The dashboard: a public client (a browser app), so PKCE stands in for a secret. */
export const DASHBOARD_CLIENT_ID = 'dashboard';
/** It signs people in (`openid email`) and asks for whichever API scope the person has. */
export const DASHBOARD_SCOPE = 'openid email customer operator';
/**
 * Codes, and refresh tokens to renew its short access tokens without taking the page away
 * (rotated at each use, as a public client's must be: oidc-provider's default).
 */
export const DASHBOARD_GRANT_TYPES = ['authorization_code', 'refresh_token'];

export interface DemoApiClient {
  clientId: string;
  clientSecret: string;
  scope: 'customer' | 'operator';
  accountId: string | null;
}

/**
 * The demo's API clients (IDENTITY_DEMO_SEED), one per demo account and one for operators.
 * Fabrikam's account is suspended in accounts, yet its client still gets tokens: whether an
 * account may order is accounts' answer, not the issuer's.
 */
export const DEMO_API_CLIENTS: DemoApiClient[] = [
  { ...DEMO_CLIENTS.active, scope: 'customer', accountId: DEMO_ACCOUNTS.active.accountId },
  { ...DEMO_CLIENTS.suspended, scope: 'customer', accountId: DEMO_ACCOUNTS.suspended.accountId },
  { ...DEMO_CLIENTS.operator, scope: 'operator', accountId: null },
];
