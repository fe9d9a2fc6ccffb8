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
  acceptedVariants,
  fuzzSeed,
  interleave,
  keptKeyAndHeaders,
  malformedMessages,
  seededRandom,
  sendFuzz,
  startTopicReader,
  waitForGroupPast,
  type FuzzMessage,
  type ReadMessage,
} from './kafka-fuzz';
export {
  createTestCertificates,
  type PemFile,
  type TestCertificateNames,
  type TestCertificates,
} from './test-certificates';
export {
  startTlsKafka,
  startTlsPostgres,
  type StartedTlsKafka,
  type StartedTlsPostgres,
} from './tls-containers';
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
export { SINGLE_NODE_KAFKA_ENVIRONMENT } from './test-containers';
export {
  FIRST_WAVE,
  SECOND_WAVE,
  SYSTEM_SERVICES,
  perService,
  prepareSystem,
  serviceUrl,
  startWholeSystem,
  systemEnvironment,
  type SystemService,
  type SystemWiring,
  type WholeSystem,
} from './whole-system';
export {
  CHROMIUM_PATH,
  SCREENSHOT_DIR,
  buildDashboard,
  launchChromium,
  signInToDashboard,
  screenshot,
  seriousAccessibilityViolations,
  type AccessibilityViolation,
} from './browser';
export {
  default as startTestInfrastructure,
  stopStartedInfrastructure as stopTestInfrastructure,
} from './global-setup';
