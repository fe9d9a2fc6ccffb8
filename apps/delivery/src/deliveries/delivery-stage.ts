import { type DeliveryStage } from '@drone-delivery/contracts';

/**
 * Where a delivery may go from each stage. Completed and Cancelled are final. InTransit and
 * Completed come from the drone's telemetry; the internal API moves only to Rescheduled and
 * Cancelled.
 */
const NEXT_STAGES: Record<DeliveryStage, readonly DeliveryStage[]> = {
  Created: ['Rescheduled', 'InTransit', 'Cancelled'],
  Rescheduled: ['Rescheduled', 'InTransit', 'Cancelled'],
  InTransit: ['Completed', 'Cancelled'],
  Completed: [],
  Cancelled: [],
};

export function canMoveTo(from: DeliveryStage, to: DeliveryStage): boolean {
  return NEXT_STAGES[from].includes(to);
}

/** A move the stage machine forbids; the API answers 409 with both stages. */
export class StageTransitionError extends Error {
  constructor(
    readonly from: DeliveryStage,
    readonly to: DeliveryStage,
  ) {
    super(`a delivery that is ${from} cannot become ${to}`);
    this.name = 'StageTransitionError';
  }
}

/** The stage after the move; throws StageTransitionError when the machine forbids it. */
export function moveTo(from: DeliveryStage, to: DeliveryStage): DeliveryStage {
  if (!canMoveTo(from, to)) throw new StageTransitionError(from, to);
  return to;
}
