import { Module } from '@nestjs/common';
import { OutboxService } from './outbox.service';

/** The transactional outbox of delivery events; publishing it to Kafka is the relay's job. */
@Module({
  providers: [OutboxService],
  exports: [OutboxService],
})
export class OutboxModule {}
