import { ACCOUNTS_SERVICE, type AccountView } from '@drone-delivery/contracts';
import { type DownstreamClient } from '@drone-delivery/http';
import { UnexpectedAnswerError } from './downstream-errors';

/** accounts' internal API (libs/contracts internal-api/accounts.ts), typed. */
export class AccountsClient {
  constructor(private readonly http: DownstreamClient) {}

  /** The account, or null when there is none with this id. */
  async findAccount(accountId: string): Promise<AccountView | null> {
    const response = await this.http.request<AccountView>({
      method: 'GET',
      path: `/internal/v1/accounts/${accountId}`,
    });
    if (response.status === 200) return response.body;
    if (response.status === 404) return null;
    throw new UnexpectedAnswerError(ACCOUNTS_SERVICE, response.status, response.body);
  }
}
