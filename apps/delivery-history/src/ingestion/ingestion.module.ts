import { Module } from '@nestjs/common';
import { SearchModule } from '../search/search.module';
import { TimelineModule } from '../timeline/timeline.module';
import { DeliveryEventRecorder } from './delivery-event-recorder.service';
import { DeliveryEventsConsumer } from './delivery-events.consumer';

/** The `delivery.events.v1` consumer: fills the timeline and the search summaries. */
@Module({
  imports: [TimelineModule, SearchModule],
  controllers: [DeliveryEventsConsumer],
  providers: [DeliveryEventRecorder],
})
export class IngestionModule {}
