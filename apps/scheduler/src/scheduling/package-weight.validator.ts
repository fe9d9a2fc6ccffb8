import { registerDecorator, type ValidationArguments } from 'class-validator';
import { MAX_WEIGHT_KG, type PackageSize } from '@drone-delivery/contracts';

/**
 * The weight is within what the package's size may hold (MAX_WEIGHT_KG), so an impossible
 * package is refused with a 400 before any saga starts.
 */
export function FitsPackageSize(sizeProperty: string): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'fitsPackageSize',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [sizeProperty],
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const limit = maxWeightOf(args);
          // Without a known size or a number there is nothing to compare; other checks say so.
          return limit === undefined || typeof value !== 'number' || value <= limit;
        },
        defaultMessage: (args) =>
          args
            ? `${args.property} must be at most ${maxWeightOf(args)} kg for a ${String(sizeOf(args))} package`
            : 'is too heavy for its size',
      },
    });
  };
}

function sizeOf(args: ValidationArguments): unknown {
  return (args.object as Record<string, unknown>)[args.constraints[0] as string];
}

function maxWeightOf(args: ValidationArguments): number | undefined {
  const size = sizeOf(args);
  return typeof size === 'string' && Object.hasOwn(MAX_WEIGHT_KG, size)
    ? MAX_WEIGHT_KG[size as PackageSize]
    : undefined;
}
