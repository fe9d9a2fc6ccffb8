import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  DataSource,
  type EntityManager,
  MoreThanOrEqual,
  QueryFailedError,
  Repository,
} from 'typeorm';
import { type AssignmentView, type FieldError, type GeoPoint } from '@drone-delivery/contracts';
import { type DroneManagementConfig } from '../config/drone-management.config';
import { DRONE_MANAGEMENT_CONFIG } from '../config/drone-management.config.token';
import { Drone } from '../fleet/drone.entity';
import { flightColumns, flightContext, flightOf } from '../flight/drone-flight';
import { flightSettings } from '../flight/flight-settings';
import {
  canReplan,
  type Flight,
  type FlightSettings,
  isOnDelivery,
  projectEtas,
  recallHome,
  remainingRouteKm,
  startDeliveryFlight,
} from '../flight/flight-step';
import { isInServiceArea, planTrip, remainingRangeKm, type TripPlan } from '../geo/geo';
import { Assignment } from './assignment.entity';
import {
  assignmentCompletedException,
  assignmentConflictException,
  assignmentPickedUpException,
  assignmentReleasedException,
  noDroneAvailableException,
  outOfServiceAreaException,
} from './assignment-problems';
import { type PatchAssignmentDto } from './patch-assignment.dto';
import { type PutAssignmentDto } from './put-assignment.dto';

/** The first pick, then up to two more after losing a race to a concurrent commit. */
const ASSIGN_ATTEMPTS = 3;

export interface AssignDroneResult {
  /** True when this call took a drone; false when the delivery already had one (a retry). */
  created: boolean;
  assignment: AssignmentView;
}

/** What a delivery asks of a drone. */
interface Route {
  pickup: GeoPoint;
  dropoff: GeoPoint;
  packageWeightKg: number;
  requestedPickupTime: Date | null;
}

interface Candidate {
  drone: Drone;
  plan: TripPlan;
}

/** The ETAs of an assignment. */
interface Etas {
  pickupEta: Date;
  dropoffEta: Date;
}

/**
 * Lock order of every writer (this service and the flight simulator): the drone row, then the
 * assignment row. One order means two transactions never wait on each other in a circle.
 */
@Injectable()
export class AssignmentsService {
  private readonly flight: FlightSettings;

  constructor(
    @InjectRepository(Assignment) private readonly assignments: Repository<Assignment>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DRONE_MANAGEMENT_CONFIG) private readonly config: DroneManagementConfig,
  ) {
    this.flight = flightSettings(config);
  }

  async findAssignment(deliveryId: string): Promise<AssignmentView> {
    const found = await this.assignments.findOneBy({ deliveryId });
    if (!found || isTombstone(found)) throw notFound(deliveryId);
    return toAssignmentView(found);
  }

  /**
   * Gives the delivery the nearest idle drone that can carry the package and has the battery for
   * the whole trip. Idempotent: a delivery that already has its drone gets the same one back.
   * Two requests at the same moment never get the same drone: each locks its drone row with
   * SKIP LOCKED (so the other moves on to the next nearest instead of waiting), and a unique
   * index allows one active assignment per drone.
   */
  async assignNearestDrone(
    deliveryId: string,
    request: PutAssignmentDto,
  ): Promise<AssignDroneResult> {
    this.assertInServiceArea({ pickup: request.pickup, dropoff: request.dropoff });
    const route: Route = {
      pickup: { lat: request.pickup.lat, lng: request.pickup.lng },
      dropoff: { lat: request.dropoff.lat, lng: request.dropoff.lng },
      packageWeightKg: request.packageWeightKg,
      requestedPickupTime: request.pickupTime ? new Date(request.pickupTime) : null,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) =>
          this.assignInTransaction(manager, deliveryId, route),
        );
      } catch (error) {
        // Another transaction committed first, for the same delivery (primary key) or the same
        // drone (the backstop index): the next attempt sees its result and acts on it.
        if (attempt < ASSIGN_ATTEMPTS && isUniqueViolation(error)) continue;
        throw error;
      }
    }
  }

  /**
   * Re-plans for a new dropoff or pickup time, with the same drone, until it picks the package
   * up: a drone on its way to the pickup (or loading) is re-targeted (the simulator reads the
   * route on every tick), and the ETAs are those of the rest of its flight. 409 when the package
   * is on board (a retry of the plan already made is answered with it), when the assignment was
   * released or completed, or when the drone lacks the battery for the new route.
   *
   * This is the one place that decides whether a delivery can still be rescheduled: the drone
   * row lock is held from the check to the commit, and the simulator takes the same lock to
   * move the drone, so it cannot pick the package up in between. The scheduler asks here first
   * and writes to delivery only what was accepted here.
   */
  async replan(deliveryId: string, changes: PatchAssignmentDto): Promise<AssignmentView> {
    if (changes.dropoff) this.assertInServiceArea({ dropoff: changes.dropoff });
    return this.dataSource.transaction(async (manager) => {
      const locked = await lockAssignmentWithDrone(manager, deliveryId);
      if (!locked) throw notFound(deliveryId);
      const { assignment, drone } = locked;
      if (assignment.status === 'released') throw assignmentReleasedException(deliveryId);
      const flight = flightOf(drone);
      const flyingForIt = flight.deliveryId === deliveryId && isOnDelivery(flight.state);
      if (assignment.status === 'completed' || (flyingForIt && !canReplan(flight.state))) {
        throw assignmentCompletedException(deliveryId);
      }
      const current = toAssignmentView(assignment);
      const route: Route = {
        pickup: current.pickup,
        dropoff: changes.dropoff
          ? { lat: changes.dropoff.lat, lng: changes.dropoff.lng }
          : current.dropoff,
        packageWeightKg: current.packageWeightKg,
        requestedPickupTime: changes.pickupTime
          ? new Date(changes.pickupTime)
          : assignment.requestedPickupTime,
      };
      if (flyingForIt && hasPickedUp(flight)) {
        // The same change again is a retry of a re-plan accepted before pickup: the client must
        // hear it succeeded, or delivery would never learn where the drone is going.
        if (sameRoute(assignment, route)) return current;
        throw assignmentPickedUpException(deliveryId);
      }
      const context = flightContext(drone, {
        pickup: route.pickup,
        dropoff: route.dropoff,
        notBefore: route.requestedPickupTime,
      });
      const neededKm = remainingRouteKm(flight, context);
      if (neededKm > remainingRangeKm(drone.batteryPercent, drone.maxRangeKm)) {
        throw noDroneAvailableException(
          `${drone.name} has not the battery for the new route (${neededKm.toFixed(1)} km).`,
          this.config.NO_DRONE_RETRY_AFTER_SECONDS,
        );
      }
      // Stops already behind the drone keep their times.
      const projected = projectEtas(flight, context, this.flight);
      Object.assign(
        assignment,
        routeColumns(route, {
          pickupEta: projected.pickupEta ?? new Date(current.pickupEta),
          dropoffEta: projected.dropoffEta ?? new Date(current.dropoffEta),
        }),
      );
      const saved = await manager.save(assignment);
      // The next tick reports the new ETAs at once.
      await manager.update(Drone, { id: drone.id }, { telemetryDue: true });
      return toAssignmentView(saved);
    });
  }

  /**
   * Frees the delivery's drone, which turns home from wherever it is. Idempotent, and safe as a
   * saga compensation that overtakes the assignment it undoes: for an unknown delivery it leaves
   * a tombstone, so that late PUT is refused (409 released) instead of taking a drone nobody will
   * ever release. A completed assignment stays completed: its drone has done the job.
   */
  async release(deliveryId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const tombstone: unknown[] = await manager.query(
        `INSERT INTO assignments (delivery_id, status, released_at) VALUES ($1, 'released', now())
         ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id`,
        [deliveryId],
      );
      if (tombstone.length > 0) return;
      const locked = await lockAssignmentWithDrone(manager, deliveryId);
      if (!locked || locked.assignment.status !== 'active') return;
      const { drone } = locked;
      const now = new Date();
      await manager.update(Assignment, { deliveryId }, { status: 'released', releasedAt: now });
      const flight = flightOf(drone);
      if (flight.deliveryId === deliveryId && isOnDelivery(flight.state)) {
        await manager.update(
          Drone,
          { id: drone.id },
          { ...flightColumns(recallHome(flight, drone.homeBase, now)), telemetryDue: true },
        );
      }
    });
  }

  private async assignInTransaction(
    manager: EntityManager,
    deliveryId: string,
    route: Route,
  ): Promise<AssignDroneResult> {
    const existing = await manager.findOneBy(Assignment, { deliveryId });
    if (existing) return { created: false, assignment: this.retriedAssignment(existing, route) };

    const now = new Date();
    const candidates = this.rankCandidates(
      await manager.findBy(Drone, {
        status: 'idle',
        maxPayloadKg: MoreThanOrEqual(route.packageWeightKg),
      }),
      route,
      now,
    );
    const droneId = await lockFirstFreeDrone(
      manager,
      candidates.map((candidate) => candidate.drone.id),
    );
    const chosen = candidates.find((candidate) => candidate.drone.id === droneId);
    if (!chosen) {
      throw noDroneAvailableException(
        `No idle drone can carry ${route.packageWeightKg} kg to this pickup and dropoff and ` +
          'back to its base on its battery right now.',
        this.config.NO_DRONE_RETRY_AFTER_SECONDS,
      );
    }
    await manager.update(
      Drone,
      { id: chosen.drone.id },
      {
        ...flightColumns(startDeliveryFlight(flightOf(chosen.drone), deliveryId, now)),
        telemetryDue: true,
      },
    );
    const assignment = manager.create(Assignment, {
      deliveryId,
      status: 'active',
      droneId: chosen.drone.id,
      ...routeColumns(route, chosen.plan),
      releasedAt: null,
    });
    await manager.insert(Assignment, assignment);
    return { created: true, assignment: toAssignmentView(assignment) };
  }

  /** A PUT for a delivery that has an assignment: the same request again is a retry. */
  private retriedAssignment(existing: Assignment, route: Route): AssignmentView {
    if (existing.status === 'released') throw assignmentReleasedException(existing.deliveryId);
    if (!sameRoute(existing, route)) throw assignmentConflictException(existing.deliveryId);
    return toAssignmentView(existing);
  }

  /** Drones with the battery for the trip, nearest to the pickup first. */
  private rankCandidates(idleDrones: Drone[], route: Route, now: Date): Candidate[] {
    return idleDrones
      .map((drone) => ({ drone, plan: this.planFor(drone, route, now) }))
      .filter(
        ({ drone, plan }) =>
          plan.totalKm <= remainingRangeKm(drone.batteryPercent, drone.maxRangeKm),
      )
      .sort(
        (a, b) => a.plan.toPickupKm - b.plan.toPickupKm || a.drone.name.localeCompare(b.drone.name),
      );
  }

  private planFor(drone: Drone, route: Route, now: Date): TripPlan {
    return planTrip({
      droneAt: drone.location,
      pickup: route.pickup,
      dropoff: route.dropoff,
      homeBase: drone.homeBase,
      notBefore: route.requestedPickupTime ?? undefined,
      now,
      speedKmh: this.flight.speedKmh,
      loadSeconds: this.flight.loadMs / 1_000,
    });
  }

  private assertInServiceArea(points: { pickup?: GeoPoint; dropoff?: GeoPoint }): void {
    const area = this.config.serviceArea;
    const errors: FieldError[] = Object.entries(points)
      .filter(([, point]) => point !== undefined && !isInServiceArea(point, area))
      .map(([field]) => ({
        field,
        message: `is outside the service area (${area.radiusKm} km around its centre)`,
      }));
    if (errors.length > 0) throw outOfServiceAreaException(errors, area);
  }
}

/**
 * Locks the first drone of `rankedIds` that is still idle and that no other transaction holds,
 * in rank order. SKIP LOCKED makes a concurrent assignment take the next drone instead of
 * queueing behind this one; the status and NOT EXISTS checks are re-read at lock time.
 */
async function lockFirstFreeDrone(
  manager: EntityManager,
  rankedIds: string[],
): Promise<string | undefined> {
  if (rankedIds.length === 0) return undefined;
  const rows: { id: string }[] = await manager.query(
    `SELECT d.id FROM drones d
       JOIN unnest($1::uuid[]) WITH ORDINALITY AS ranked (id, rank) ON ranked.id = d.id
      WHERE d.status = 'idle'
        AND NOT EXISTS (
          SELECT 1 FROM assignments a WHERE a.drone_id = d.id AND a.status = 'active')
      ORDER BY ranked.rank
      LIMIT 1
      FOR UPDATE OF d SKIP LOCKED`,
    [rankedIds],
  );
  return rows[0]?.id;
}

/**
 * The assignment and its drone, locked in the one order every writer uses: the drone first. Null
 * for an unknown delivery or a tombstone. The status is read under the lock.
 */
async function lockAssignmentWithDrone(
  manager: EntityManager,
  deliveryId: string,
): Promise<{ assignment: Assignment; drone: Drone } | null> {
  const unlocked = await manager.findOneBy(Assignment, { deliveryId });
  if (!unlocked || unlocked.droneId === null) return null;
  const drone = await manager.findOneOrFail(Drone, {
    where: { id: unlocked.droneId },
    lock: { mode: 'pessimistic_write' },
  });
  const assignment = await manager.findOneOrFail(Assignment, {
    where: { deliveryId },
    lock: { mode: 'pessimistic_write' },
  });
  return { assignment, drone };
}

function routeColumns(route: Route, plan: Etas): Partial<Assignment> {
  return {
    pickupLat: route.pickup.lat,
    pickupLng: route.pickup.lng,
    dropoffLat: route.dropoff.lat,
    dropoffLng: route.dropoff.lng,
    packageWeightKg: route.packageWeightKg,
    requestedPickupTime: route.requestedPickupTime,
    pickupEta: plan.pickupEta,
    dropoffEta: plan.dropoffEta,
  };
}

function sameRoute(stored: Assignment, route: Route): boolean {
  return (
    stored.pickupLat === route.pickup.lat &&
    stored.pickupLng === route.pickup.lng &&
    stored.dropoffLat === route.dropoff.lat &&
    stored.dropoffLng === route.dropoff.lng &&
    stored.packageWeightKg === route.packageWeightKg &&
    stored.requestedPickupTime?.getTime() === route.requestedPickupTime?.getTime()
  );
}

/** The package is on board: the drone has left the pickup with it and not yet unloaded. */
function hasPickedUp(flight: Flight): boolean {
  return flight.state === 'flying-to-dropoff';
}

/** A release that came before any assignment: it has no drone and no route. */
function isTombstone(assignment: Assignment): boolean {
  return assignment.droneId === null;
}

function toAssignmentView(assignment: Assignment): AssignmentView {
  const { droneId, pickupLat, pickupLng, dropoffLat, dropoffLng } = assignment;
  const { packageWeightKg, pickupEta, dropoffEta } = assignment;
  if (
    droneId === null ||
    pickupLat === null ||
    pickupLng === null ||
    dropoffLat === null ||
    dropoffLng === null ||
    packageWeightKg === null ||
    pickupEta === null ||
    dropoffEta === null
  ) {
    throw new Error(`Assignment ${assignment.deliveryId} is a tombstone and has no view`);
  }
  return {
    deliveryId: assignment.deliveryId,
    droneId,
    status: assignment.status,
    pickup: { lat: pickupLat, lng: pickupLng },
    dropoff: { lat: dropoffLat, lng: dropoffLng },
    packageWeightKg,
    pickupEta: pickupEta.toISOString(),
    dropoffEta: dropoffEta.toISOString(),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505'
  );
}

function notFound(deliveryId: string): NotFoundException {
  return new NotFoundException(`Delivery ${deliveryId} has no drone assignment.`);
}
