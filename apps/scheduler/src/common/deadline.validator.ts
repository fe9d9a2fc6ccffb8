import { registerDecorator, type ValidationArguments } from 'class-validator';

/**
 * The deadline lies in the future and, when the same request gives a pickup time, after it: a
 * delivery that must arrive before it can leave cannot be planned.
 */
export function IsDeadlineAfter(pickupTimeProperty: string): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isDeadlineAfter',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [pickupTimeProperty],
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const deadline = typeof value === 'string' ? Date.parse(value) : Number.NaN;
          // A malformed date is reported by its format check; one message is enough.
          if (Number.isNaN(deadline)) return true;
          const pickupTime = (args.object as Record<string, unknown>)[pickupTimeProperty];
          const earliest = typeof pickupTime === 'string' ? Date.parse(pickupTime) : Number.NaN;
          return deadline > Date.now() && (Number.isNaN(earliest) || deadline > earliest);
        },
        defaultMessage: (args) =>
          `${args?.property ?? 'deadline'} must be in the future and after ${pickupTimeProperty}`,
      },
    });
  };
}
