export { connectReliableKafkaConsumer } from './consumer/connect-reliable-consumer';
export {
  DLQ_HEADERS,
  deadLetterHeaders,
  deadLetterTopic,
  type DeadLetterContext,
} from './consumer/dead-letter';
export { isDependencyOutage } from '@drone-delivery/service-defaults';
export { InvalidMessageError } from './consumer/invalid-message.error';
export { parseMessage } from './consumer/parse-message';
export {
  redriveDeadLetters,
  redriveGroupId,
  type RedriveOptions,
  type RedriveResult,
} from './consumer/redrive-dead-letters';
export {
  deadLetterBacklogs,
  readDeadLetters,
  type DeadLetterBacklog,
  type DeadLetterInspectionOptions,
  type DeadLetterRecord,
  type ReadDeadLettersOptions,
} from './consumer/dead-letter-inspection';
export {
  DEFAULT_CONSUMER_RELIABILITY,
  ReliableKafkaServer,
  RethrowRpcExceptionFilter,
  type ConsumerReliability,
} from './consumer/reliable-kafka.server';
export {
  ensureTopics,
  ensureTopicsWithDeadLetters,
  type TopicDurability,
  type TopicSpec,
} from './ensure-topics';
export {
  addInboxRetentionSql,
  createInboxTableSql,
  inboxPruner,
  recordInInbox,
} from './inbox/inbox';
export { createIdempotentProducer, type Producer, type ProducerSettings } from './kafka-producer';
export { kafkaTls, type KafkaTlsOption, type KafkaTlsSettings } from './kafka-tls';
export { kafkaTransportOptions, type KafkaTransportSettings } from './kafka-transport.options';
export { OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay';
export {
  addOutboxLeaseAndRetentionSql,
  createOutboxTableSql,
  type OutboxMessage,
} from './outbox/outbox.schema';
export { publishMessage, type OutgoingMessage } from './publish-message';
export { RetentionPruner, type RetentionPrunerOptions } from './retention/retention-pruner';
