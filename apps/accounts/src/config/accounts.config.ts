import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { loadEnvironment } from '@drone-delivery/service-defaults';

/** Every setting of the accounts service, from the environment, checked at start-up. */
export class AccountsConfig {
  @Type(() => Number) @IsInt() @Min(0) @Max(65_535) PORT: number = 3002;

  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false })
  DATABASE_URL!: string;

  /** Shared secret of the service tokens (at least 32 characters). */
  @IsString() @MinLength(32) SERVICE_TOKEN_SECRET!: string;

  /** Seed the demo accounts (Contoso Pharmacy, Fabrikam Florist) at start-up. */
  @IsIn(['true', 'false']) SEED_DEMO_DATA = 'true';

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']) LOG_LEVEL: 'log' | 'warn' = 'log';
}

export function loadAccountsConfig(env: NodeJS.ProcessEnv = process.env): AccountsConfig {
  return loadEnvironment(AccountsConfig, env);
}
