/**
 * The forward steps of the schedule-delivery saga, in order. Only the last three write anything,
 * so only they are compensated; `account` is a check.
 */
export const SAGA_STEPS = ['account', 'package', 'assignment', 'delivery'] as const;
export type SagaStep = (typeof SAGA_STEPS)[number];

/** The writes a saga that got as far as `step` has made, newest first: the order to undo them. */
export function writesToUndo(step: SagaStep | null): SagaStep[] {
  if (step === null) return [];
  return SAGA_STEPS.slice(1, SAGA_STEPS.indexOf(step) + 1).reverse();
}

/** The step before `step`, or null before the first. */
export function stepBefore(step: SagaStep): SagaStep | null {
  const index = SAGA_STEPS.indexOf(step);
  return index > 0 ? SAGA_STEPS[index - 1] : null;
}
