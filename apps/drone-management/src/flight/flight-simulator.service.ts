import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { type DroneTelemetryEvent } from '@drone-delivery/contracts';
import { Assignment } from '../assignments/assignment.entity';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { DRONE_MANAGEMENT_CONFIG } from '../config/drone-management.config.token';
import { Drone } from '../fleet/drone.entity';
import { flightColumns, flightContext, flightOf, routeOf } from './drone-flight';
import { droneTelemetryEvent } from './drone-telemetry-event';
import { flightSettings } from './flight-settings';
import {
  advanceFlight,
  type Flight,
  type FlightSettings,
  projectEtas,
  unloadedDeliveryId,
} from './flight-step';
import { FlownDrones } from './flown-drones';
import { TelemetryPublisher } from './telemetry-publisher';

/** Drones claimed per transaction; a larger fleet takes several per tick. */
const CLAIM_BATCH = 100;

interface BatchResult {
  claimed: number;
  reports: DroneTelemetryEvent[];
}

/**
 * Flies the fleet: every tick advances each drone that is not idle (see flight-step.ts), stores
 * where it is, completes the assignment of a drone that has unloaded, and publishes telemetry —
 * on every state change and every TELEMETRY_INTERVAL_MS in between. The flight lives in the
 * drones table, so any replica can advance any drone and a restart continues every flight.
 */
@Injectable()
export class FlightSimulator {
  private readonly logger = new Logger(FlightSimulator.name);
  private readonly settings: FlightSettings;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DRONE_MANAGEMENT_CONFIG) private readonly config: DroneManagementConfig,
    private readonly publisher: TelemetryPublisher,
    private readonly flown: FlownDrones,
  ) {
    this.settings = flightSettings(config);
  }

  /** Ticks every SIMULATOR_TICK_MS until stop(). */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.run();
  }

  /** Lets the tick under way finish its transaction, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  /**
   * One tick: advances the flights, then hands their reports to the publisher, which sends them
   * beside the ticks. Never throws: with the database down nothing moves until it is back; with
   * Kafka down the flights go on and their reports are lost (the publisher warns).
   */
  async tick(now = new Date()): Promise<void> {
    try {
      const reports = await this.advanceFlights(now);
      this.flown.record(reports);
      this.publisher.publish(reports);
    } catch (error) {
      this.logger.warn(`Flights not advanced, trying again next tick: ${describe(error)}`);
    }
  }

  /** Advances every claimable drone to `now`; returns their reports, committed, to publish. */
  async advanceFlights(now: Date): Promise<DroneTelemetryEvent[]> {
    const reports: DroneTelemetryEvent[] = [];
    for (;;) {
      const batch = await this.dataSource.transaction((manager) => this.advanceBatch(manager, now));
      reports.push(...batch.reports);
      if (batch.claimed < CLAIM_BATCH) return reports;
    }
  }

  /**
   * Claims drones that fly, charge or owe a report (a drone seeded after the migration that set
   * `telemetry_due` has never reported: it owes its first one, or a fresh fleet would stay out
   * of telemetry and fleet snapshots until it first flew), and that no other replica holds right now
   * (SKIP LOCKED: each replica takes the drones the others have not); drones already advanced to
   * `now` are left out, so the batches of one tick end. Locks the drone before its assignment,
   * as every writer here does.
   */
  private async advanceBatch(manager: EntityManager, now: Date): Promise<BatchResult> {
    const idleReportBefore = new Date(now.getTime() - this.config.IDLE_TELEMETRY_INTERVAL_MS);
    const drones = await manager
      .createQueryBuilder(Drone, 'drone')
      // One line: TypeORM maps `alias.property` to its column only where a space follows it.
      .where(
        "(drone.flightState <> 'idle' OR drone.telemetryDue OR drone.telemetryReportedAt IS NULL OR drone.telemetryReportedAt < :idleReportBefore) AND drone.positionedAt < :now",
        { now, idleReportBefore },
      )
      .orderBy('drone.id')
      .limit(CLAIM_BATCH)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    if (drones.length === 0) return { claimed: 0, reports: [] };

    const deliveryIds = drones.flatMap((drone) => drone.flightDeliveryId ?? []);
    const assignments = await manager.findBy(Assignment, {
      deliveryId: In(deliveryIds),
      status: 'active',
    });
    const lastCompleted = await lastCompletedDeliveries(
      manager,
      drones.filter((drone) => drone.flightState === 'idle').map((drone) => drone.id),
    );
    const reports: DroneTelemetryEvent[] = [];
    for (const drone of drones) {
      const assignment = assignments.find((row) => row.deliveryId === drone.flightDeliveryId);
      reports.push(
        ...(await this.advanceDrone(manager, drone, assignment, now, lastCompleted.get(drone.id))),
      );
    }
    return { claimed: drones.length, reports };
  }

  private async advanceDrone(
    manager: EntityManager,
    drone: Drone,
    assignment: Assignment | undefined,
    now: Date,
    lastCompletedDeliveryId: string | undefined,
  ): Promise<DroneTelemetryEvent[]> {
    const context = flightContext(drone, routeOf(assignment));
    const before = flightOf(drone);
    const step = advanceFlight(before, context, now, this.settings);

    const reportDue =
      drone.telemetryDue ||
      drone.telemetryReportedAt === null ||
      now.getTime() - drone.telemetryReportedAt.getTime() >= this.config.TELEMETRY_INTERVAL_MS;
    // Every state entered is reported, even one begun and finished within this tick.
    const reported: Flight[] =
      step.entered.length > 0 ? step.entered : reportDue ? [step.flight] : [];
    const reports = reported.map((flight, index) =>
      droneTelemetryEvent({
        droneId: drone.id,
        sequence: drone.telemetrySequence + index + 1,
        flight,
        etas: projectEtas(flight, context, this.settings),
        completedDeliveryId:
          unloadedDeliveryId(flight, reported[index - 1] ?? before) ??
          // Idle and still idle: the periodic report repeats the last delivery it completed.
          (flight.state === 'idle' && before.state === 'idle' ? lastCompletedDeliveryId : null),
      }),
    );

    await manager.update(
      Drone,
      { id: drone.id },
      {
        ...flightColumns(step.flight),
        telemetrySequence: drone.telemetrySequence + reports.length,
        telemetryReportedAt: reports.length > 0 ? now : drone.telemetryReportedAt,
        telemetryDue: false,
      },
    );
    if (step.completedDeliveryId !== null) {
      const completedAt = step.entered.find((flight) => flight.state === 'returning')?.stateSince;
      await manager.update(
        Assignment,
        { deliveryId: step.completedDeliveryId, status: 'active' },
        { status: 'completed', completedAt: completedAt ?? now },
      );
    }
    return reports;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const started = Date.now();
      await this.tick();
      await this.pause(this.config.SIMULATOR_TICK_MS - (Date.now() - started));
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), Math.max(0, ms));
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The delivery each of these drones completed last, for the reports of idle drones. One query
 * per batch, and only for idle drones; the unique index on active assignments does not serve it,
 * but a fleet's completed assignments per drone are few enough to scan.
 */
async function lastCompletedDeliveries(
  manager: EntityManager,
  droneIds: string[],
): Promise<Map<string, string>> {
  if (droneIds.length === 0) return new Map();
  const rows: { drone_id: string; delivery_id: string }[] = await manager.query(
    `SELECT DISTINCT ON (drone_id) drone_id, delivery_id
       FROM assignments
      WHERE drone_id = ANY($1::uuid[]) AND status = 'completed'
      ORDER BY drone_id, completed_at DESC`,
    [droneIds],
  );
  return new Map(rows.map((row) => [row.drone_id, row.delivery_id]));
}
