import { Inject, Injectable } from '@nestjs/common';
import { type DroneTelemetryEvent, type FlownDrone } from '@drone-delivery/contracts';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { DRONE_MANAGEMENT_CONFIG } from '../config/drone-management.config.token';

/**
 * The drones this instance flies: the latest report of each drone its simulator advanced within
 * FLOWN_DRONE_WINDOW_MS (idle drones included: they report now and then). Any replica may advance any drone on a tick, so a drone can show up
 * in two instances' lists for a moment; the fleet snapshot keeps the newer report.
 */
@Injectable()
export class FlownDrones {
  private readonly latest = new Map<string, { report: FlownDrone; at: number }>();

  constructor(@Inject(DRONE_MANAGEMENT_CONFIG) private readonly config: DroneManagementConfig) {}

  record(reports: DroneTelemetryEvent[], at = Date.now()): void {
    for (const report of reports) {
      this.latest.set(report.data.droneId, {
        report: { ...report.data, reportedAt: report.time },
        at,
      });
    }
  }

  /** Latest reports, newest flights only; forgets drones that were not flown in the window. */
  current(now = Date.now()): FlownDrone[] {
    const since = now - this.config.flownDroneWindowMs;
    const drones: FlownDrone[] = [];
    for (const [droneId, { report, at }] of this.latest) {
      if (at < since) this.latest.delete(droneId);
      else drones.push(report);
    }
    return drones;
  }
}
