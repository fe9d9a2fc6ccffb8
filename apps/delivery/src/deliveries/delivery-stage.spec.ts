import { DELIVERY_STAGES, type DeliveryStage } from '@drone-delivery/contracts';
import { canMoveTo, moveTo, StageTransitionError } from './delivery-stage';

const ALLOWED: [DeliveryStage, DeliveryStage][] = [
  ['Created', 'Rescheduled'],
  ['Rescheduled', 'Rescheduled'],
  ['Created', 'InTransit'],
  ['Rescheduled', 'InTransit'],
  ['InTransit', 'Completed'],
  ['Created', 'Cancelled'],
  ['Rescheduled', 'Cancelled'],
  ['InTransit', 'Cancelled'],
];

const isAllowed = (from: DeliveryStage, to: DeliveryStage) =>
  ALLOWED.some(([allowedFrom, allowedTo]) => allowedFrom === from && allowedTo === to);

const EVERY_PAIR = DELIVERY_STAGES.flatMap((from) =>
  DELIVERY_STAGES.map((to): [DeliveryStage, DeliveryStage] => [from, to]),
);
const FORBIDDEN = EVERY_PAIR.filter(([from, to]) => !isAllowed(from, to));

describe('delivery stage machine', () => {
  it.each(ALLOWED)('lets a %s delivery become %s', (from, to) => {
    expect(canMoveTo(from, to)).toBe(true);
    expect(moveTo(from, to)).toBe(to);
  });

  it.each(FORBIDDEN)('refuses to turn a %s delivery into %s', (from, to) => {
    expect(canMoveTo(from, to)).toBe(false);
    expect(() => moveTo(from, to)).toThrow(StageTransitionError);
    expect(() => moveTo(from, to)).toThrow(`a delivery that is ${from} cannot become ${to}`);
  });

  it('keeps Completed and Cancelled final', () => {
    for (const to of DELIVERY_STAGES) {
      expect(canMoveTo('Completed', to)).toBe(false);
      expect(canMoveTo('Cancelled', to)).toBe(false);
    }
  });

  it('covers every pair of stages', () => {
    expect(ALLOWED.length + FORBIDDEN.length).toBe(DELIVERY_STAGES.length ** 2);
  });
});
