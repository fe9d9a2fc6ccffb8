/** Accounts seeded by default so the demo works on first start (ARCHITECTURE.md). */
export const DEMO_ACCOUNTS = {
  active: { accountId: '11111111-1111-4111-8111-111111111111', name: 'Contoso Pharmacy' },
  suspended: { accountId: '22222222-2222-4222-8222-222222222222', name: 'Fabrikam Florist' },
} as const;

/** Default service area: Seattle, 25 km around its centre. */
export const DEFAULT_SERVICE_AREA = { center: { lat: 47.6062, lng: -122.3321 }, radiusKm: 25 };
