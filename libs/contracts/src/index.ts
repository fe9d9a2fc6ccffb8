export { DEFAULT_SERVICE_AREA, DEMO_ACCOUNTS } from './demo-data';
export { type GeoPoint } from './geo';
export * from './internal-api/accounts';
export * from './internal-api/assignments';
export * from './internal-api/deliveries';
export * from './internal-api/packages';
export { MAX_WEIGHT_KG, PACKAGE_SIZES, type PackageSize } from './package-sizes';
export {
  isProblemDetails,
  PROBLEM_CONTENT_TYPE,
  type FieldError,
  type ProblemDetails,
} from './problem-details';
