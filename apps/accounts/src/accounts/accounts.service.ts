import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { type AccountView, DEMO_ACCOUNTS } from '@drone-delivery/contracts';
import { Account } from './account.entity';

@Injectable()
export class AccountsService {
  constructor(@InjectRepository(Account) private readonly accounts: Repository<Account>) {}

  async findAccount(accountId: string): Promise<AccountView> {
    const account = await this.accounts.findOneBy({ id: accountId });
    if (!account) throw new NotFoundException(`There is no account ${accountId}.`);
    return { accountId: account.id, name: account.name, status: account.status };
  }

  /** Idempotent: the demo accounts are inserted if missing and left alone otherwise. */
  async seedDemoAccounts(): Promise<void> {
    // ON CONFLICT DO NOTHING, not an upsert: a restart must not undo an operator's changes.
    await this.accounts
      .createQueryBuilder()
      .insert()
      .values([
        { id: DEMO_ACCOUNTS.active.accountId, name: DEMO_ACCOUNTS.active.name, status: 'active' },
        {
          id: DEMO_ACCOUNTS.suspended.accountId,
          name: DEMO_ACCOUNTS.suspended.name,
          status: 'suspended',
        },
      ])
      .orIgnore()
      .execute();
  }
}
