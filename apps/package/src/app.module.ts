import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PACKAGE_SERVICE } from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import { postgresOptions } from '@drone-delivery/persistence';
import { HealthModule, serviceTokensProvider } from '@drone-delivery/service-defaults';
import { type PackageConfig } from './config/package.config';
import { PACKAGE_CONFIG } from './config/package.config.token';
import { PACKAGE_MIGRATIONS } from './migrations';
import { Package } from './packages/package.entity';
import { PackagesModule } from './packages/packages.module';

/** Configuration and service tokens, visible to every feature module. */
@Global()
@Module({})
class PackageCoreModule {
  static register(config: PackageConfig): DynamicModule {
    return {
      module: PackageCoreModule,
      providers: [
        { provide: PACKAGE_CONFIG, useValue: config },
        serviceTokensProvider(PACKAGE_SERVICE, config, { serves: true }),
      ],
      exports: [PACKAGE_CONFIG, ServiceTokens],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: PackageConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PackageCoreModule.register(config),
        TypeOrmModule.forRoot(
          postgresOptions({
            url: config.DATABASE_URL,
            caFile: config.DATABASE_CA_FILE,
            applicationName: PACKAGE_SERVICE,
            entities: [Package],
            migrations: PACKAGE_MIGRATIONS,
          }),
        ),
        HealthModule,
        PackagesModule,
      ],
    };
  }
}
