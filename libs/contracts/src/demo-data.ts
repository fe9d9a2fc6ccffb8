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

/** Default service area: Seattle, 25 km around its centre. */
export const DEFAULT_SERVICE_AREA = { center: { lat: 47.6062, lng: -122.3321 }, radiusKm: 25 };
