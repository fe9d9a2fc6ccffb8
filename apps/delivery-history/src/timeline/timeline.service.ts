import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, MoreThan, QueryFailedError, Repository } from 'typeorm';
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
   * A page of the delivery's events in sequence order, whatever order they arrived in, if the
   * caller may see them: the account is DeliveryCreated's, so until that event arrives only an
   * operator sees the history. Otherwise 404, the very answer an unknown delivery gets. One row
   * more than the page is read to tell whether another page follows.
   */
  async findHistory(
    deliveryId: string,
    caller: Caller,
    page: { afterSequence: number; limit: number },
  ): Promise<{ entries: DeliveryHistoryEntryDto[]; more: boolean }> {
    const notFound = () =>
      new NotFoundException(`No event of delivery ${deliveryId} has been recorded.`);
    if (!mayAccessAccount(caller, await this.summaries.findAccountOf(deliveryId))) throw notFound();
    const events = await this.events.find({
      where: { deliveryId, sequence: MoreThan(page.afterSequence) },
      order: { sequence: 'ASC' },
      take: page.limit + 1,
    });
    // An empty page past the end is an answer; an empty history is an unknown delivery.
    if (events.length === 0 && !(await this.events.existsBy({ deliveryId }))) throw notFound();
    return {
      entries: events.slice(0, page.limit).map((event) => ({
        eventId: event.eventId,
        type: event.type,
        sequence: event.sequence,
        occurredAt: event.occurredAt.toISOString(),
        data: event.data,
      })),
      more: events.length > page.limit,
    };
  }
}

function isConstraintViolation(error: unknown, constraint: string): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { constraint?: string }).constraint === constraint
  );
}
