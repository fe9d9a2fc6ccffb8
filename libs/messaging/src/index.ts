export { ensureTopics, type TopicSpec } from './ensure-topics';
export { kafkaTransportOptions, type KafkaTransportSettings } from './kafka-transport.options';
export { publishMessage, type OutgoingMessage } from './publish-message';
