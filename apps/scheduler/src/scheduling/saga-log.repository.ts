import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type QueryDeepPartialEntity, Repository } from 'typeorm';
import { type SchedulerConfig } from '../config/scheduler.config';
import { SCHEDULER_CONFIG } from '../config/scheduler.config.token';
import { SagaLog } from './saga-log.entity';

/** A saga held by one runner: every write checks that the runner still holds it. */
export interface SagaLease {
  readonly saga: SagaLog;
  readonly owner: string;
}

/**
 * The runner's lease lapsed and another runner (a recovery sweep, maybe in another replica) took
 * the saga over. The first runner stops at once: two runners must never drive one saga.
 */
export class LeaseLostError extends Error {
  constructor(readonly requestId: string) {
    super(`saga ${requestId} is being run by another runner now`);
    this.name = 'LeaseLostError';
  }
}

export type NewSaga = Pick<
  SagaLog,
  | 'requestId'
  | 'deliveryId'
  | 'packageId'
  | 'accountId'
  | 'idempotencyKey'
  | 'requestHash'
  | 'request'
>;

export type SagaChanges = Partial<
  Pick<
    SagaLog,
    | 'idempotencyKey'
    | 'state'
    | 'lastCompletedStep'
    | 'uncertainStep'
    | 'droneId'
    | 'result'
    | 'error'
  >
>;

/** The saga log's reads and writes; leases are timed by the database clock, one for all replicas. */
@Injectable()
export class SagaLogRepository {
  constructor(
    @InjectRepository(SagaLog) private readonly sagas: Repository<SagaLog>,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  /**
   * Records a new pending saga leased to `owner`, unless its account already uses its
   * Idempotency-Key: then the saga holding the key is returned instead. The unique (account, key)
   * decides, so two concurrent requests with one key can never both start a saga, and another
   * account's key is never seen.
   */
  async begin(
    saga: NewSaga,
    owner: string,
  ): Promise<{ lease: SagaLease; existing?: never } | { existing: SagaLog; lease?: never }> {
    // A key may be given back between our insert and our read: then the insert is worth retrying.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const inserted = await this.sagas
        .createQueryBuilder()
        .insert()
        .into(SagaLog)
        .values({ ...saga, state: 'pending', leaseOwner: owner, leaseUntil: this.leaseFromNow() })
        .orIgnore()
        .returning('*')
        .execute();
      if ((inserted.raw as unknown[]).length === 1) {
        const started = await this.sagas.findOneByOrFail({ requestId: saga.requestId });
        return { lease: { saga: started, owner } };
      }
      const existing =
        saga.idempotencyKey === null
          ? null
          : await this.sagas.findOneBy({
              accountId: saga.accountId,
              idempotencyKey: saga.idempotencyKey,
            });
      if (existing) return { existing };
    }
    throw new Error(`could not record saga ${saga.requestId}`);
  }

  findByRequestId(requestId: string): Promise<SagaLog | null> {
    return this.sagas.findOneBy({ requestId });
  }

  findByIdempotencyKey(accountId: string, idempotencyKey: string): Promise<SagaLog | null> {
    return this.sagas.findOneBy({ accountId, idempotencyKey });
  }

  /** Persists progress and renews the lease: the runner is alive and still owns the saga. */
  async record(lease: SagaLease, changes: SagaChanges): Promise<void> {
    await this.update(lease, changes, lease.owner, this.leaseFromNow());
  }

  /** Persists and lets go: the saga is finished, or left for the recovery sweep to carry on. */
  async release(lease: SagaLease, changes: SagaChanges): Promise<void> {
    await this.update(lease, changes, null, () => 'now()');
  }

  /**
   * Takes over unfinished sagas whose lease has lapsed: their runner crashed, or left them for
   * recovery. SKIP LOCKED lets several replicas sweep at once without taking the same saga.
   */
  async claimAbandoned(owner: string, limit: number): Promise<SagaLease[]> {
    const [rows] = await this.sagas.query<[{ request_id: string }[], number]>(
      `UPDATE saga_log
          SET lease_owner = $1, lease_until = ${this.leaseExpression()}, updated_at = now()
        WHERE request_id IN (
          SELECT request_id FROM saga_log
           WHERE state IN ('pending', 'compensating') AND lease_until < now()
           ORDER BY lease_until
           LIMIT $2
           FOR UPDATE SKIP LOCKED)
        RETURNING request_id`,
      [owner, limit],
    );
    if (rows.length === 0) return [];
    const sagas = await this.sagas.findBy({ requestId: In(rows.map((row) => row.request_id)) });
    return sagas.map((saga) => ({ saga, owner }));
  }

  private async update(
    lease: SagaLease,
    changes: SagaChanges,
    leaseOwner: string | null,
    leaseUntil: () => string,
  ): Promise<void> {
    const result = await this.sagas
      .createQueryBuilder()
      .update(SagaLog)
      // jsonb members (error) are open-ended objects, which TypeORM's deep-partial type rejects.
      .set({ ...changes, leaseOwner, leaseUntil } as QueryDeepPartialEntity<SagaLog>)
      .where('request_id = :requestId AND lease_owner = :owner', {
        requestId: lease.saga.requestId,
        owner: lease.owner,
      })
      .execute();
    if (result.affected !== 1) throw new LeaseLostError(lease.saga.requestId);
    Object.assign(lease.saga, changes, { leaseOwner });
  }

  private leaseFromNow(): () => string {
    return () => this.leaseExpression();
  }

  private leaseExpression(): string {
    // An integer from the validated configuration, so inlining it is safe.
    return `now() + ${Math.trunc(this.config.SAGA_LEASE_MS)} * interval '1 millisecond'`;
  }
}
