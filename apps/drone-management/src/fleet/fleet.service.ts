import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { type DroneView } from '@drone-delivery/contracts';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { DRONE_MANAGEMENT_CONFIG } from '../config/drone-management.config.token';
import { Drone } from './drone.entity';
import { fleetLayout } from './fleet-layout';

/** Arbitrary but fixed: replicas starting together take turns to look at the drones table. */
const FLEET_SEED_LOCK_KEY = 4_242_104;

export function toDroneView(drone: Drone): DroneView {
  return {
    droneId: drone.id,
    name: drone.name,
    status: drone.status,
    location: drone.location,
    homeBase: drone.homeBase,
    maxPayloadKg: drone.maxPayloadKg,
    batteryPercent: drone.batteryPercent,
  };
}

@Injectable()
export class FleetService {
  private readonly logger = new Logger(FleetService.name);

  constructor(
    @InjectRepository(Drone) private readonly drones: Repository<Drone>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DRONE_MANAGEMENT_CONFIG) private readonly config: DroneManagementConfig,
  ) {}

  async listDrones(): Promise<DroneView[]> {
    const drones = await this.drones.find({ order: { name: 'ASC' } });
    return drones.map(toDroneView);
  }

  /**
   * Puts the configured fleet on the ground, fully charged at its home bases, when there is no
   * fleet yet. An existing fleet is left as it is (even if FLEET_SIZE changed). Replicas starting
   * at once serialise on an advisory lock, so exactly one of them seeds.
   */
  async seedFleetIfEmpty(): Promise<void> {
    const seeded = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [FLEET_SEED_LOCK_KEY]);
      if ((await manager.count(Drone)) > 0) return 0;
      const layout = fleetLayout({
        area: this.config.serviceArea,
        fleetSize: this.config.FLEET_SIZE,
        homeBases: this.config.HOME_BASES,
        maxRangeKm: this.config.DRONE_MAX_RANGE_KM,
      });
      await manager.insert(
        Drone,
        layout.map((seed) => ({
          id: seed.id,
          name: seed.name,
          status: 'idle' as const,
          locationLat: seed.homeBase.lat,
          locationLng: seed.homeBase.lng,
          homeLat: seed.homeBase.lat,
          homeLng: seed.homeBase.lng,
          maxPayloadKg: seed.maxPayloadKg,
          maxRangeKm: seed.maxRangeKm,
          batteryPercent: 100,
        })),
      );
      return layout.length;
    });
    if (seeded > 0) this.logger.log(`Seeded a fleet of ${seeded} drones`);
  }
}
