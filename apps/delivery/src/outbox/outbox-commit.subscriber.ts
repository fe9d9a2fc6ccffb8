import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  type EntitySubscriberInterface,
  type InsertEvent,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import { OutboxEvent } from './outbox-event.entity';
import { OutboxRelayService } from './outbox-relay.service';

/** Marks, on a transaction's query runner, that the transaction wrote outbox rows. */
const WROTE_OUTBOX = 'wroteOutbox';

/**
 * Wakes the relay right after a transaction that wrote outbox rows commits (not before: until
 * then the relay cannot see them), so an event leaves within milliseconds instead of at the next
 * poll. Every write path gets this without remembering to; a missed nudge only costs latency.
 */
@Injectable()
export class OutboxCommitSubscriber implements EntitySubscriberInterface<OutboxEvent> {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly relay: OutboxRelayService,
  ) {
    dataSource.subscribers.push(this);
  }

  listenTo(): typeof OutboxEvent {
    return OutboxEvent;
  }

  afterInsert(event: InsertEvent<OutboxEvent>): void {
    event.queryRunner.data[WROTE_OUTBOX] = true;
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.data[WROTE_OUTBOX] !== true) return;
    delete event.queryRunner.data[WROTE_OUTBOX];
    this.relay.notify();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete event.queryRunner.data[WROTE_OUTBOX];
  }
}
