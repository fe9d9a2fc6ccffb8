import { Module } from '@nestjs/common';
import { DELIVERY_SERVICE } from '@drone-delivery/contracts';
import { OutboxEvent } from './outbox-event.entity';
import { outboxRelayProvider } from './outbox-relay.service';
import { OutboxService } from './outbox.service';

const DELIVERY_EVENT_RELAY = Symbol('DELIVERY_EVENT_RELAY');

/** The transactional outbox of delivery events, and the relay that publishes it to Kafka. */
@Module({
  providers: [
    OutboxService,
    outboxRelayProvider(DELIVERY_EVENT_RELAY, {
      outbox: OutboxEvent,
      clientId: `${DELIVERY_SERVICE}-outbox`,
    }),
  ],
  exports: [OutboxService],
})
export class OutboxModule {}
