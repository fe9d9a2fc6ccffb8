import { IsIn } from 'class-validator';
import { loadEnvironment, ServiceWithTokensConfig } from '@drone-delivery/service-defaults';

/** Every setting of the accounts service, from the environment, checked at start-up. */
export class AccountsConfig extends ServiceWithTokensConfig {
  override PORT = 3002;

  /** Seed the demo accounts (Contoso Pharmacy, Fabrikam Florist) at start-up. */
  @IsIn(['true', 'false']) SEED_DEMO_DATA = 'true';
}

export function loadAccountsConfig(env: NodeJS.ProcessEnv = process.env): AccountsConfig {
  return loadEnvironment(AccountsConfig, env);
}
