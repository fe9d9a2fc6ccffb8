import {
  type BeforeApplicationShutdown,
  Inject,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { DRONE_MANAGEMENT_CONFIG } from '../config/drone-management.config.token';
import { FlightSimulator } from './flight-simulator.service';
import { FlownDrones } from './flown-drones';
import { TelemetryPublisher } from './telemetry-publisher';

/** The flight simulator: runs from start-up (after migrations) unless SIMULATOR_ENABLED=false. */
@Module({
  providers: [FlightSimulator, TelemetryPublisher, FlownDrones],
  exports: [FlownDrones],
})
export class FlightModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly simulator: FlightSimulator,
    private readonly publisher: TelemetryPublisher,
    @Inject(DRONE_MANAGEMENT_CONFIG) private readonly config: DroneManagementConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.simulatorEnabled) this.simulator.start();
  }

  /** Before the database connections close: the last tick commits, its reports are sent. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.simulator.stop();
    await this.publisher.close();
  }
}
