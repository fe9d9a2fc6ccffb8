import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DRONE_MANAGEMENT_SERVICE } from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import { postgresOptions } from '@drone-delivery/persistence';
import { HealthModule, serviceTokensProvider } from '@drone-delivery/service-defaults';
import { Assignment } from './assignments/assignment.entity';
import { AssignmentsModule } from './assignments/assignments.module';
import { type DroneManagementConfig } from './config/drone-management.config';
import { DRONE_MANAGEMENT_CONFIG } from './config/drone-management.config.token';
import { Drone } from './fleet/drone.entity';
import { FleetModule } from './fleet/fleet.module';
import { FleetSnapshotModule } from './fleet-snapshot/fleet-snapshot.module';
import { FlightModule } from './flight/flight.module';
import { ServiceAreaModule } from './service-area/service-area.module';
import { DRONE_MANAGEMENT_MIGRATIONS } from './migrations';

/** Configuration and service tokens, visible to every feature module. */
@Global()
@Module({})
class DroneManagementCoreModule {
  static register(config: DroneManagementConfig): DynamicModule {
    return {
      module: DroneManagementCoreModule,
      providers: [
        { provide: DRONE_MANAGEMENT_CONFIG, useValue: config },
        serviceTokensProvider(DRONE_MANAGEMENT_SERVICE, config, { serves: true }),
      ],
      exports: [DRONE_MANAGEMENT_CONFIG, ServiceTokens],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: DroneManagementConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DroneManagementCoreModule.register(config),
        TypeOrmModule.forRoot(
          postgresOptions({
            url: config.DATABASE_URL,
            caFile: config.DATABASE_CA_FILE,
            applicationName: DRONE_MANAGEMENT_SERVICE,
            entities: [Drone, Assignment],
            migrations: DRONE_MANAGEMENT_MIGRATIONS,
          }),
        ),
        HealthModule,
        FleetModule,
        AssignmentsModule,
        FlightModule,
        FleetSnapshotModule,
        ServiceAreaModule.register(config),
      ],
    };
  }
}
