import {
  type ArgumentMetadata,
  ValidationPipe,
  type ValidationError,
  type ValidationPipeOptions,
} from '@nestjs/common';
import { type FieldError } from '@drone-delivery/contracts';
import { fieldErrorsProblem } from './problem-details.filter';
import { unstorableInput } from './storable-input';

/** Flattens class-validator's nested errors into `package.weightKg`-style field paths. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/**
 * ValidationPipe that first refuses what no DTO rule would catch and a later layer would fail
 * on: nesting deep enough to overflow class-transformer, and text Postgres cannot store (see
 * unstorableInput). One rule for every body, query and path parameter of every service, so a
 * field without its own check still answers 400, not 500.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const errors = unstorableInput(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (errors.length > 0) throw fieldErrorsProblem(errors);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Request bodies and queries are validated against their DTO classes: unknown fields are
 * rejected (a typo must not be silently ignored), types are converted, and every problem is
 * reported as a field error in one 400.
 */
export function requestValidationPipe(): ValidationPipe {
  const options: ValidationPipeOptions = {
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => fieldErrorsProblem(toFieldErrors(errors)),
  };
  return new RequestValidationPipe(options);
}
