import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, type EntityManager, In } from 'typeorm';
import {
  type DeliveryEventData,
  type DeliveryEventName,
  type DeliveryStage,
  type DeliveryStatusView,
  type DeliveryView,
  type DroneTelemetryEvent,
  type GeoPoint,
  type PatchDeliveryRequest,
  type PutDeliveryRequest,
} from '@drone-delivery/contracts';
import { type Caller, mayAccessAccount } from '@drone-delivery/http';
import { type DeliveryConfig } from '../config/delivery.config';
import { DELIVERY_CONFIG } from '../config/delivery.config.token';
import { OutboxService } from '../outbox/outbox.service';
import {
  deadlineBeforePickupProblem,
  deliveryExistsProblem,
  deliveryGoneProblem,
  deliveryNotFound,
  emptyChangeProblem,
  quotaExceededProblem,
  stageConflictProblem,
} from './delivery-problems';
import { isNewerReport, stagesProvenBy } from './delivery-progress';
import { moveTo, StageTransitionError } from './delivery-stage';
import {
  creationFields,
  deliveryCreatedData,
  deliveryRescheduledData,
  toDeliveryStatusView,
  toDeliveryView,
} from './delivery-views';
import { Delivery } from './delivery.entity';

/** The stages that count against an account's quota: the delivery still holds a drone. */
const IN_FLIGHT_STAGES: readonly DeliveryStage[] = ['Created', 'Rescheduled', 'InTransit'];

export interface CreateDeliveryOutcome {
  /** False when the same delivery already existed: the PUT was a retry. */
  created: boolean;
  delivery: DeliveryView;
}

/**
 * The lifecycle of deliveries. Every change and the event announcing it are written in one
 * transaction (delivery row + outbox row), so there is never a change without its event or an
 * event without its change. Changes to an existing delivery hold its row lock from read to
 * commit, so two concurrent changes run one after the other against the stage machine.
 */
@Injectable()
export class DeliveriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
  ) {}

  /**
   * Idempotent: the same PUT again answers the stored delivery, without a second event, and is
   * never refused by the quota. A new delivery is refused (429) when its account already has
   * DELIVERY_QUOTA_IN_FLIGHT deliveries in flight, and (410) when its id was cancelled before it
   * was created: a saga's late PUT must not create a delivery whose drone was released.
   */
  async createDelivery(
    deliveryId: string,
    request: PutDeliveryRequest,
  ): Promise<CreateDeliveryOutcome> {
    const now = new Date();
    const candidate = newDelivery(deliveryId.toLowerCase(), request, now);
    assertDeadlineAfterPickup(candidate);
    return this.dataSource.transaction(async (manager) => {
      // One account's new deliveries are counted and inserted one at a time, so concurrent PUTs
      // cannot all see room under the quota. Other accounts are not held up.
      await lockAccountQuota(manager, candidate.accountId);
      await lockDeliveryId(manager, candidate.id);
      if (await isTombstoned(manager, candidate.id)) throw deliveryGoneProblem(candidate.id);
      const existing = await manager.findOneBy(Delivery, { id: candidate.id });
      if (existing) return retried(existing, candidate);
      const inFlight = await countInFlight(manager, candidate.accountId);
      if (inFlight >= this.config.DELIVERY_QUOTA_IN_FLIGHT) {
        throw quotaExceededProblem(candidate.accountId, this.config.DELIVERY_QUOTA_IN_FLIGHT);
      }
      // ON CONFLICT DO NOTHING waits for a concurrent insert of the same id to commit or roll
      // back: the same id PUT for another account (another lock) still inserts only once.
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Delivery)
        .values(candidate)
        .orIgnore()
        .returning(['id'])
        .execute();
      if ((inserted.raw as unknown[]).length === 0) {
        return retried(await manager.findOneByOrFail(Delivery, { id: candidate.id }), candidate);
      }
      await this.appendEvent(manager, candidate, 'DeliveryCreated', deliveryCreatedData(candidate));
      return { created: true, delivery: toDeliveryView(candidate) };
    });
  }

  async findDelivery(deliveryId: string): Promise<DeliveryView> {
    return toDeliveryView(await this.loadDelivery(deliveryId));
  }

  async findDeliveryStatus(deliveryId: string, caller: Caller): Promise<DeliveryStatusView> {
    return toDeliveryStatusView(await this.findOwnedDelivery(deliveryId, caller));
  }

  /**
   * The delivery, if the caller may see it: an operator any, a customer its account's. Another
   * account's delivery is 404 with the very answer an unknown id gets, so ids cannot be probed.
   * Every public route of a delivery goes through here.
   */
  async findOwnedDelivery(deliveryId: string, caller: Caller): Promise<Delivery> {
    const delivery = await this.dataSource.manager.findOneBy(Delivery, { id: deliveryId });
    if (!delivery || !mayAccessAccount(caller, delivery.accountId)) {
      throw deliveryNotFound(deliveryId);
    }
    return delivery;
  }

  /** Applies the given fields; the stage becomes Rescheduled and DeliveryRescheduled is written. */
  async rescheduleDelivery(
    deliveryId: string,
    change: PatchDeliveryRequest,
  ): Promise<DeliveryView> {
    if (Object.values(change).every((value) => value === undefined)) throw emptyChangeProblem();
    return this.dataSource.transaction(async (manager) => {
      const delivery = await this.lockDelivery(manager, deliveryId);
      delivery.stage = stageAfterReschedule(delivery, change);
      if (change.dropoff) {
        delivery.dropoffLat = change.dropoff.lat;
        delivery.dropoffLng = change.dropoff.lng;
      }
      if (change.pickupTime !== undefined) delivery.pickupTime = new Date(change.pickupTime);
      if (change.deadline !== undefined) delivery.deadline = new Date(change.deadline);
      if (change.pickupEta !== undefined) delivery.pickupEta = new Date(change.pickupEta);
      if (change.dropoffEta !== undefined) delivery.dropoffEta = new Date(change.dropoffEta);
      // Checked on the result: a new deadline must also follow the pickup time already stored.
      assertDeadlineAfterPickup(delivery);
      await this.recordChange(
        manager,
        delivery,
        'DeliveryRescheduled',
        deliveryRescheduledData(delivery),
      );
      return toDeliveryView(delivery);
    });
  }

  /**
   * Idempotent: cancelling a cancelled delivery answers it again and writes no second event.
   * An unknown id answers 404 and leaves a tombstone: a saga's compensation may overtake the PUT
   * it undoes, and that late PUT is then refused (410) instead of creating the delivery.
   */
  async cancelDelivery(deliveryId: string): Promise<DeliveryView> {
    const cancelled = await this.dataSource.transaction(async (manager) => {
      await lockDeliveryId(manager, deliveryId);
      const delivery = await manager.findOne(Delivery, {
        where: { id: deliveryId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!delivery) {
        await buryDeliveryId(manager, deliveryId);
        return null;
      }
      if (delivery.stage === 'Cancelled') return toDeliveryView(delivery);
      delivery.stage = nextStage(delivery, 'Cancelled');
      await this.recordChange(manager, delivery, 'DeliveryCancelled', {
        deliveryId: delivery.id,
        droneId: delivery.droneId,
      });
      return toDeliveryView(delivery);
    });
    if (!cancelled) throw deliveryNotFound(deliveryId);
    return cancelled;
  }

  /**
   * Applies one drone report to the delivery it names, in one transaction under the row lock:
   * the location and ETAs when the report is newer than the last one applied, and every stage
   * the report proves (see delivery-progress.ts), each with its event. Reports for deliveries
   * this service does not know, from a drone the delivery is not assigned to, or for a Completed
   * or Cancelled delivery change nothing. No inbox: a report applied again is not newer and its
   * stages are already reached, so a redelivered or duplicated report is a no-op by construction.
   * A drone back home flies no delivery but still names the one it completed: that one is moved.
   */
  async applyDroneReport(report: DroneTelemetryEvent): Promise<DroneReportOutcome> {
    const { droneId, state, completedDeliveryId } = report.data;
    const deliveryId = report.data.deliveryId ?? completedDeliveryId ?? null;
    if (deliveryId === null) return 'no-delivery';
    return this.dataSource.transaction(async (manager) => {
      const delivery = await manager.findOne(Delivery, {
        where: { id: deliveryId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!delivery) return 'unknown-delivery';
      if (delivery.droneId !== droneId.toLowerCase()) return 'other-drone';
      if (delivery.stage === 'Completed' || delivery.stage === 'Cancelled') return 'final';

      const newer = takeIfNewer(delivery, report);
      const stages = stagesProvenBy(delivery.stage, {
        reported: state,
        newest: delivery.lastReportState ?? state,
        completed: completedDeliveryId?.toLowerCase() === delivery.id,
      });
      for (const stage of stages) await this.recordProvenStage(manager, delivery, stage, report);
      if (stages.length > 0) return 'stage-changed';
      if (!newer) return 'stale';
      // Only a location sample: should the database crash, losing the last few costs nothing (the
      // drone reports again within a second), so this commit does not wait for its WAL flush.
      // Stage changes, above, stay fully durable before the offset is committed.
      await manager.query('SET LOCAL synchronous_commit = off');
      // An UPDATE of the sampled columns: save() would first SELECT the row it already holds.
      await manager.update(
        Delivery,
        { id: delivery.id },
        {
          lastReportAt: delivery.lastReportAt,
          lastReportSequence: delivery.lastReportSequence,
          lastReportState: delivery.lastReportState,
          lastKnownLat: delivery.lastKnownLat,
          lastKnownLng: delivery.lastKnownLng,
          pickupEta: delivery.pickupEta,
          dropoffEta: delivery.dropoffEta,
          updatedAt: new Date(),
        },
      );
      return 'located';
    });
  }

  /** Moves the delivery to a stage telemetry proved, with its event. */
  private async recordProvenStage(
    manager: EntityManager,
    delivery: Delivery,
    stage: DeliveryStage,
    report: DroneTelemetryEvent,
  ): Promise<void> {
    delivery.stage = moveTo(delivery.stage, stage);
    const ids = { deliveryId: delivery.id, droneId: delivery.droneId };
    const dropoff = { lat: delivery.dropoffLat, lng: delivery.dropoffLng };
    if (stage === 'InTransit') {
      // Where the drone was with the package on board: the unloading spot if that is all we saw,
      // the planned dropoff if we only heard from it once it had left the package there.
      const onBoard =
        report.data.state === 'flying-to-dropoff' || report.data.state === 'unloading';
      await this.recordChange(manager, delivery, 'DeliveryInTransit', {
        ...ids,
        location: onBoard ? report.data.location : dropoff,
      });
      return;
    }
    // The package stays where it was dropped off while the drone flies on: an unloading drone is
    // there; one already returning has left the planned dropoff behind it.
    const location = report.data.state === 'unloading' ? report.data.location : dropoff;
    setLastKnownLocation(delivery, location);
    await this.recordChange(manager, delivery, 'DeliveryCompleted', { ...ids, location });
  }

  private async loadDelivery(deliveryId: string): Promise<Delivery> {
    const delivery = await this.dataSource.manager.findOneBy(Delivery, { id: deliveryId });
    if (!delivery) throw deliveryNotFound(deliveryId);
    return delivery;
  }

  /** SELECT … FOR UPDATE: held until the transaction ends. */
  private async lockDelivery(manager: EntityManager, deliveryId: string): Promise<Delivery> {
    const delivery = await manager.findOne(Delivery, {
      where: { id: deliveryId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!delivery) throw deliveryNotFound(deliveryId);
    return delivery;
  }

  /** Saves a changed delivery under the next sequence number and writes its event. */
  private async recordChange<TName extends DeliveryEventName>(
    manager: EntityManager,
    delivery: Delivery,
    name: TName,
    data: DeliveryEventData<TName>,
  ): Promise<void> {
    delivery.lastSequence += 1;
    delivery.updatedAt = new Date();
    await manager.save(Delivery, delivery);
    await this.appendEvent(manager, delivery, name, data);
  }

  private async appendEvent<TName extends DeliveryEventName>(
    manager: EntityManager,
    delivery: Delivery,
    name: TName,
    data: DeliveryEventData<TName>,
  ): Promise<void> {
    await this.outbox.appendDeliveryEvent(manager, {
      name,
      deliveryId: delivery.id,
      sequence: delivery.lastSequence,
      time: delivery.updatedAt,
      data,
    });
  }
}

/** What a drone report did, for the consumer's logs. */
export type DroneReportOutcome =
  | 'no-delivery'
  | 'unknown-delivery'
  | 'other-drone'
  | 'final'
  | 'stale'
  | 'located'
  | 'stage-changed';

/**
 * Takes the report's location, ETAs and order when it is newer than the newest one applied;
 * answers whether it was. A late report still counts as evidence for the stage, never for where
 * the drone is now.
 */
function takeIfNewer(delivery: Delivery, report: DroneTelemetryEvent): boolean {
  const order = { time: new Date(report.time), sequence: report.sequence };
  const applied =
    delivery.lastReportAt === null
      ? null
      : { time: delivery.lastReportAt, sequence: delivery.lastReportSequence ?? 0 };
  if (!isNewerReport(order, applied)) return false;
  const { state, location, pickupEta, dropoffEta } = report.data;
  delivery.lastReportAt = order.time;
  delivery.lastReportSequence = order.sequence;
  delivery.lastReportState = state;
  setLastKnownLocation(delivery, location);
  if (pickupEta !== undefined) delivery.pickupEta = new Date(pickupEta);
  if (dropoffEta !== undefined) delivery.dropoffEta = new Date(dropoffEta);
  return true;
}

function setLastKnownLocation(delivery: Delivery, location: GeoPoint): void {
  delivery.lastKnownLat = location.lat;
  delivery.lastKnownLng = location.lng;
}

/** A transaction-scoped advisory lock per account: released by the commit or rollback. */
async function lockAccountQuota(manager: EntityManager, accountId: string): Promise<void> {
  // The two-key form keeps these locks apart from the one-key migration lock.
  await manager.query("SELECT pg_advisory_xact_lock(hashtext('delivery.quota'), hashtext($1))", [
    accountId,
  ]);
}

/**
 * Serialises the PUT and the DELETE of one id (a transaction-scoped advisory lock): neither sees
 * the other's uncommitted row, so without it a PUT and a tombstone could both be written.
 */
async function lockDeliveryId(manager: EntityManager, deliveryId: string): Promise<void> {
  await manager.query(
    "SELECT pg_advisory_xact_lock(hashtext('delivery.id'), hashtext($1::uuid::text))",
    [deliveryId],
  );
}

async function isTombstoned(manager: EntityManager, deliveryId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    'SELECT 1 FROM delivery_tombstones WHERE delivery_id = $1',
    [deliveryId],
  );
  return rows.length > 0;
}

async function buryDeliveryId(manager: EntityManager, deliveryId: string): Promise<void> {
  await manager.query(
    'INSERT INTO delivery_tombstones (delivery_id) VALUES ($1) ON CONFLICT DO NOTHING',
    [deliveryId],
  );
}

async function countInFlight(manager: EntityManager, accountId: string): Promise<number> {
  return manager.countBy(Delivery, { accountId, stage: In([...IN_FLIGHT_STAGES]) });
}

/** A PUT of an id that exists: the same delivery again (200), or another one under its id (409). */
function retried(existing: Delivery, candidate: Delivery): CreateDeliveryOutcome {
  if (!isDeepStrictEqual(creationFields(existing), creationFields(candidate))) {
    throw deliveryExistsProblem(candidate.id);
  }
  return { created: false, delivery: toDeliveryView(existing) };
}

function newDelivery(id: string, request: PutDeliveryRequest, now: Date): Delivery {
  return Object.assign(new Delivery(), {
    id,
    accountId: request.accountId.toLowerCase(),
    packageId: request.packageId.toLowerCase(),
    droneId: request.droneId.toLowerCase(),
    pickupLat: request.pickup.lat,
    pickupLng: request.pickup.lng,
    dropoffLat: request.dropoff.lat,
    dropoffLng: request.dropoff.lng,
    pickupTime: request.pickupTime === undefined ? null : new Date(request.pickupTime),
    deadline: request.deadline === undefined ? null : new Date(request.deadline),
    expedited: request.expedited,
    confirmationRequired: request.confirmationRequired,
    pickupEta: new Date(request.pickupEta),
    dropoffEta: new Date(request.dropoffEta),
    stage: 'Created',
    lastKnownLat: null,
    lastKnownLng: null,
    lastReportAt: null,
    lastReportSequence: null,
    lastReportState: null,
    // The DeliveryCreated event, written with the row, is the delivery's first.
    lastSequence: 1,
    createdAt: now,
    updatedAt: now,
  } satisfies Delivery);
}

function nextStage(delivery: Delivery, to: DeliveryStage): DeliveryStage {
  try {
    return moveTo(delivery.stage, to);
  } catch (error) {
    if (error instanceof StageTransitionError) throw stageConflictProblem(delivery.id, error);
    throw error;
  }
}

/**
 * A new dropoff or pickup time comes here only once drone-management has accepted it, which it
 * does only before the drone picks the package up (the scheduler re-plans first). Should the
 * InTransit report overtake the change on its way here, the change is still the drone's plan:
 * it is recorded and the delivery stays InTransit. Any other change needs the stage machine.
 */
function stageAfterReschedule(delivery: Delivery, change: PatchDeliveryRequest): DeliveryStage {
  const replanned = change.dropoff !== undefined || change.pickupTime !== undefined;
  if (delivery.stage === 'InTransit' && replanned) return delivery.stage;
  return nextStage(delivery, 'Rescheduled');
}

function assertDeadlineAfterPickup(delivery: Delivery): void {
  const { deadline, pickupTime } = delivery;
  if (deadline && pickupTime && deadline.getTime() <= pickupTime.getTime()) {
    throw deadlineBeforePickupProblem(deadline, pickupTime);
  }
}
