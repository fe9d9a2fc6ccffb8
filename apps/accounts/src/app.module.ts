import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServiceTokens } from '@drone-delivery/http';
import { postgresOptions } from '@drone-delivery/persistence';
import { HealthModule, serviceTokensProvider } from '@drone-delivery/service-defaults';
import { Account } from './accounts/account.entity';
import { AccountsModule } from './accounts/accounts.module';
import { type AccountsConfig } from './config/accounts.config';
import { ACCOUNTS_CONFIG } from './config/accounts.config.token';
import { ACCOUNTS_MIGRATIONS } from './migrations';
import { ACCOUNTS_SERVICE } from '@drone-delivery/contracts';

/** Configuration and service tokens, visible to every feature module. */
@Global()
@Module({})
class AccountsCoreModule {
  static register(config: AccountsConfig): DynamicModule {
    return {
      module: AccountsCoreModule,
      providers: [
        { provide: ACCOUNTS_CONFIG, useValue: config },
        serviceTokensProvider(ACCOUNTS_SERVICE, config, { serves: true }),
      ],
      exports: [ACCOUNTS_CONFIG, ServiceTokens],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: AccountsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AccountsCoreModule.register(config),
        TypeOrmModule.forRoot(
          postgresOptions({
            url: config.DATABASE_URL,
            caFile: config.DATABASE_CA_FILE,
            applicationName: ACCOUNTS_SERVICE,
            entities: [Account],
            migrations: ACCOUNTS_MIGRATIONS,
          }),
        ),
        HealthModule,
        AccountsModule,
      ],
    };
  }
}
