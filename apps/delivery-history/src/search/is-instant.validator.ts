import { buildMessage, isISO8601, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * An ISO 8601 date-time a JavaScript Date can hold. isISO8601 alone also accepts week and
 * ordinal dates (`2026-W01`), which `new Date()` cannot read.
 */
export function IsInstant(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          isISO8601(value, { strict: true }) &&
          !Number.isNaN(Date.parse(value)),
        defaultMessage: buildMessage(
          (eachPrefix) =>
            `${eachPrefix}$property must be an ISO 8601 date-time, e.g. 2026-11-22T10:00:00Z`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}
