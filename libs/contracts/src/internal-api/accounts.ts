/** accounts, internal. All routes need a service token addressed to `accounts`. */
export const ACCOUNTS_SERVICE = 'accounts';

export type AccountStatus = 'active' | 'suspended';

/** `GET /internal/v1/accounts/{accountId}` → 200 AccountView | 404 | 400 (not a UUID). */
export interface AccountView {
  accountId: string;
  name: string;
  status: AccountStatus;
}
