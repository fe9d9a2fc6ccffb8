import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError } from '@drone-delivery/contracts';
import { fieldErrorsProblem } from './problem-details.filter';

/** Flattens class-validator's nested errors into `package.weightKg`-style field paths. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/**
 * Request bodies and queries are validated against their DTO classes: unknown fields are
 * rejected (a typo must not be silently ignored), types are converted, and every problem is
 * reported as a field error in one 400.
 */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => fieldErrorsProblem(toFieldErrors(errors)),
  });
}
