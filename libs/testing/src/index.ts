export { startDisposableKafka, type DisposableKafka } from './disposable-kafka';
export { createTestDatabase, type TestDatabase } from './postgres';
export { testKafkaBrokers, uniqueGroupId, uniqueTopic } from './kafka';
export {
  freePort,
  startServiceProcess,
  type ServiceProcess,
  type ServiceProcessOptions,
} from './service-process';
export {
  fuzzSeed,
  interleave,
  malformedMessages,
  seededRandom,
  sendFuzz,
  waitForGroupPast,
  type FuzzMessage,
} from './kafka-fuzz';
export { uniqueName } from './unique-name';
export { waitFor, type WaitForOptions } from './wait-for';
export {
  SPAN_KIND,
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from './otlp-receiver';
export { startTestIssuer, type TestIssuer, type TestTokenClaims } from './test-issuer';
export {
  serviceTokenEnv,
  testSigningKey,
  testTrustedKeys,
  untrustedSigningKey,
} from './service-keys';
