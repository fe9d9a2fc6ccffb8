import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { toFieldErrors } from './request-validation.pipe';
import { ConfigurationError } from './start-failure';

type Constructor<T> = new () => T;

/**
 * Reads a service's configuration from the environment into a class whose class-validator
 * decorators say what each variable must be. Fails at start-up with one line per missing or bad
 * variable, rather than at the first request that needs it.
 */
export function loadEnvironment<T extends object>(
  schema: Constructor<T>,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const config = plainToInstance(schema, env, { enableImplicitConversion: true });
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigurationError(
      toFieldErrors(errors).map((error) => `${error.field}: ${error.message}`),
    );
  }
  return config;
}
