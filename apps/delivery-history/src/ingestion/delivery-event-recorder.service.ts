import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordInInbox } from '@drone-delivery/messaging';
import { SearchService } from '../search/search.service';
import { TimelineService } from '../timeline/timeline.service';
import { type HistoryEvent } from './history-event';

/** This consumer's name in the inbox table. */
const INBOX_CONSUMER = 'delivery-history.timeline';

@Injectable()
export class DeliveryEventRecorder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly timeline: TimelineService,
    private readonly search: SearchService,
  ) {}

  /**
   * Records an event in the delivery's timeline and summary. The inbox row commits with them,
   * so a redelivered or duplicated event changes nothing; returns false for such an event.
   */
  async record(event: HistoryEvent): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await recordInInbox(manager, INBOX_CONSUMER, event.eventId))) return false;
      await this.timeline.appendEvent(manager, event);
      await this.search.applyEvent(manager, event);
      return true;
    });
  }
}
