import {
  type EntitySubscriberInterface,
  type InsertEvent,
  type ObjectLiteral,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';

/** The entity class of an outbox table. */
export type OutboxEntity = new () => ObjectLiteral;

/**
 * Wakes a relay right after a transaction that wrote rows of its outbox commits (not before:
 * until then the relay cannot see them), so a message leaves within milliseconds instead of at
 * the next poll. Every write path gets this without remembering to; a missed nudge only costs
 * latency. One per outbox: a transaction that writes into both wakes both relays.
 */
export class OutboxCommitSubscriber implements EntitySubscriberInterface<ObjectLiteral> {
  /** Marks, on a transaction's query runner, that the transaction wrote rows of this outbox. */
  private readonly marker: string;

  constructor(
    private readonly outbox: OutboxEntity,
    table: string,
    private readonly relay: { notify(): void },
  ) {
    this.marker = `wroteOutbox:${table}`;
  }

  listenTo(): OutboxEntity {
    return this.outbox;
  }

  afterInsert(event: InsertEvent<ObjectLiteral>): void {
    event.queryRunner.data[this.marker] = true;
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.data[this.marker] !== true) return;
    delete event.queryRunner.data[this.marker];
    this.relay.notify();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete event.queryRunner.data[this.marker];
  }
}
