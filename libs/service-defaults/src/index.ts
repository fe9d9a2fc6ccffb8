export {
  applyServiceDefaults,
  createServiceApp,
  serviceLogger,
  type ServiceAppOptions,
} from './create-service-app';
export { loadEnvironment } from './environment';
export {
  BooleanSetting,
  JsonSetting,
  KafkaBrokerList,
  Needs,
  PublicApiConfig,
  ReadableFile,
  ServiceConfig,
  ServiceWithTokensConfig,
} from './service-config';
export { HealthController, ShutdownState } from './health.controller';
export { HealthModule } from './health.module';
export {
  fieldErrorsProblem,
  ProblemDetailsFilter,
  ProblemException,
} from './problem-details.filter';
export { requestValidationPipe, toFieldErrors } from './request-validation.pipe';
export { startService, type StartServiceOptions } from './start-service';
export { GeoPointDto } from './dto/geo-point.dto';
export {
  EARLIEST_INSTANT,
  IsInstant,
  LATEST_INSTANT,
  parseInstant,
} from './dto/is-instant.validator';
export { MAX_INPUT_DEPTH, unstorableInput } from './storable-input';
export { serviceTokensProvider } from './service-tokens.provider';
export { isDependencyOutage } from './dependency-outage';
export { ConfigurationError, describeStartFailure, exitOnStartFailure } from './start-failure';
