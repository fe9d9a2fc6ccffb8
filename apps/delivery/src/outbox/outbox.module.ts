import { Module } from '@nestjs/common';
import { OutboxCommitSubscriber } from './outbox-commit.subscriber';
import { OutboxRelayService } from './outbox-relay.service';
import { OutboxService } from './outbox.service';

/** The transactional outbox of delivery events, and the relay that publishes it to Kafka. */
@Module({
  providers: [OutboxService, OutboxRelayService, OutboxCommitSubscriber],
  exports: [OutboxService],
})
export class OutboxModule {}
