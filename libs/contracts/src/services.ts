/**
 * The one caller of internal routes (the saga's orchestrator); internal controllers name it in
 * `@InternalApi({ callers: [SCHEDULER_SERVICE] })`, and its token's `iss` says it.
 */
export const SCHEDULER_SERVICE = 'scheduler';
