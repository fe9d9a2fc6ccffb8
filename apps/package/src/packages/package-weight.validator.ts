import { registerDecorator, type ValidationArguments } from 'class-validator';
import { MAX_WEIGHT_KG, PACKAGE_SIZES, type PackageSize } from '@drone-delivery/contracts';

/** Why `weightKg` is too heavy for `size`, or undefined when it fits (MAX_WEIGHT_KG). */
export function weightLimitViolation(size: PackageSize, weightKg: number): string | undefined {
  const limit = MAX_WEIGHT_KG[size];
  return weightKg > limit
    ? `weightKg must be at most ${limit} kg for a ${size} package`
    : undefined;
}

/**
 * The weight is within what the size named by `sizeProperty` may hold, checked with the other
 * field rules so a request learns every problem in one 400.
 */
export function FitsPackageSize(sizeProperty: string): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'fitsPackageSize',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [sizeProperty],
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          violation(value, args) === undefined,
        defaultMessage: (args) => (args && violation(args.value, args)) ?? 'weightKg is too heavy',
      },
    });
  };
}

function violation(value: unknown, args: ValidationArguments): string | undefined {
  const size = (args.object as Record<string, unknown>)[args.constraints[0] as string];
  const knownSize = PACKAGE_SIZES.find((known) => known === size);
  // Without a known size or a number there is nothing to compare; other checks say so.
  if (knownSize === undefined || typeof value !== 'number') return undefined;
  return weightLimitViolation(knownSize, value);
}
