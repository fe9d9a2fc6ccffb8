import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, QueryFailedError, Repository } from 'typeorm';
import { type Caller, mayAccessAccount } from '@drone-delivery/http';
import { InvalidMessageError } from '@drone-delivery/messaging';
import { type HistoryEvent } from '../ingestion/history-event';
import { SearchService } from '../search/search.service';
import { type DeliveryHistoryEntryDto } from './delivery-history-entry.dto';
import { TimelineEvent } from './timeline-event.entity';

const SEQUENCE_TAKEN = 'timeline_events_delivery_sequence_unique';

@Injectable()
export class TimelineService {
  constructor(
    @InjectRepository(TimelineEvent) private readonly events: Repository<TimelineEvent>,
    private readonly summaries: SearchService,
  ) {}

  /** Adds the event to its delivery's timeline, inside the caller's transaction. */
  async appendEvent(manager: EntityManager, event: HistoryEvent): Promise<void> {
    try {
      // The inbox already skips known events; DO NOTHING keeps a replay harmless even if the
      // inbox has been pruned.
      await manager.query(
        `INSERT INTO timeline_events (event_id, delivery_id, type, sequence, occurred_at, data)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (event_id) DO NOTHING`,
        [
          event.eventId,
          event.deliveryId,
          event.name,
          event.sequence,
          event.occurredAt,
          JSON.stringify(event.data),
        ],
      );
    } catch (error) {
      if (isConstraintViolation(error, SEQUENCE_TAKEN)) {
        // Another event already holds this sequence number: a producer bug no retry can fix.
        throw new InvalidMessageError(
          `delivery ${event.deliveryId} already has another event with sequence ${event.sequence}`,
        );
      }
      throw error;
    }
  }

  /**
   * The delivery's events in sequence order, whatever order they arrived in, if the caller may
   * see them: the account is DeliveryCreated's, so until that event arrives only an operator
   * sees the history. Otherwise 404, the very answer an unknown delivery gets.
   */
  async findHistory(deliveryId: string, caller: Caller): Promise<DeliveryHistoryEntryDto[]> {
    const notFound = () =>
      new NotFoundException(`No event of delivery ${deliveryId} has been recorded.`);
    if (!mayAccessAccount(caller, await this.summaries.findAccountOf(deliveryId))) throw notFound();
    const events = await this.events.find({ where: { deliveryId }, order: { sequence: 'ASC' } });
    if (events.length === 0) throw notFound();
    return events.map((event) => ({
      eventId: event.eventId,
      type: event.type,
      sequence: event.sequence,
      occurredAt: event.occurredAt.toISOString(),
      data: event.data,
    }));
  }
}

function isConstraintViolation(error: unknown, constraint: string): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { constraint?: string }).constraint === constraint
  );
}
