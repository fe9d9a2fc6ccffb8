/** Accounts seeded by default so the demo works on first start (ARCHITECTURE.md). */
export const DEMO_ACCOUNTS = {
  active: { accountId: '11111111-1111-4111-8111-111111111111', name: 'Contoso Pharmacy' },
  suspended: { accountId: '22222222-2222-4222-8222-222222222222', name: 'Fabrikam Florist' },
} as const;

/**
 * The demo's OAuth clients, seeded by identity (IDENTITY_DEMO_SEED): one API client per demo
 * account (client credentials, scope `customer`) and one for operators (scope `operator`).
 * Demo secrets, published on purpose; a real deployment seeds none of them.
 */
export const DEMO_CLIENTS = {
  active: { clientId: 'contoso-pharmacy', clientSecret: 'contoso-pharmacy-demo-secret' },
  suspended: { clientId: 'fabrikam-florist', clientSecret: 'fabrikam-florist-demo-secret' },
  operator: { clientId: 'operator-console', clientSecret: 'operator-console-demo-secret' },
} as const;

/**
 * The people of the demo, seeded by identity (IDENTITY_DEMO_SEED): a customer of Contoso
 * Pharmacy and an operator, who sign in to the dashboard. Demo passwords, published on purpose.
 */
export const DEMO_PEOPLE = {
  customer: {
    id: '7b1c2d3e-4f50-4a61-8b72-c3d4e5f60001',
    email: 'customer@contoso.example',
    password: 'contoso-demo',
    scope: 'customer',
    accountId: DEMO_ACCOUNTS.active.accountId,
  },
  operator: {
    id: '7b1c2d3e-4f50-4a61-8b72-c3d4e5f60002',
    email: 'operator@drone-delivery.example',
    password: 'operator-demo',
    scope: 'operator',
    accountId: null,
  },
} as const;

/** Default service area: Seattle, 25 km around its centre. */
export const DEFAULT_SERVICE_AREA = { center: { lat: 47.6062, lng: -122.3321 }, radiusKm: 25 };
