/**
 * Where the provider is mounted. The gateway forwards `/identity/*` unchanged, so the issuer
 * `http://localhost:8080/identity` and identity's own routes share one path.
 */
export const IDENTITY_MOUNT_PATH = '/identity';

/** Identity's own pages (sign in, allow access), under the mount path: `/interaction/:uid`. */
export const INTERACTION_PATH = '/interaction';

/** The client metadata naming the account a customer client acts for. */
export const ACCOUNT_ID_METADATA = 'account_id';
