import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { postgresOptions } from '@drone-delivery/persistence';
import { HealthModule } from '@drone-delivery/service-defaults';
import { OAuthClient } from './clients/oauth-client.entity';
import { type IdentityConfig } from './config/identity.config';
import { IDENTITY_CONFIG } from './config/identity.config.token';
import { InteractionModule } from './interaction/interaction.module';
import { IDENTITY_MIGRATIONS } from './migrations';
import { OidcModule } from './oidc/oidc.module';
import { SigningKey } from './signing-keys/signing-key.entity';
import { User } from './users/user.entity';

export const IDENTITY_SERVICE = 'identity';

/** Configuration, visible to every feature module. */
@Global()
@Module({})
class IdentityCoreModule {
  static register(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityCoreModule,
      providers: [{ provide: IDENTITY_CONFIG, useValue: config }],
      exports: [IDENTITY_CONFIG],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: IdentityConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        IdentityCoreModule.register(config),
        TypeOrmModule.forRoot(
          postgresOptions({
            url: config.DATABASE_URL,
            caFile: config.DATABASE_CA_FILE,
            applicationName: IDENTITY_SERVICE,
            entities: [SigningKey, OAuthClient, User],
            migrations: IDENTITY_MIGRATIONS,
          }),
        ),
        HealthModule,
        OidcModule,
        InteractionModule,
      ],
    };
  }
}
