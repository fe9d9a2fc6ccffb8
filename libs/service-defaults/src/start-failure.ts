/**
 * A bad or missing setting: its message names each one and says what it must be, which is all
 * a person needs. Any other start-up failure is printed with its stack and causes.
 */
export class ConfigurationError extends Error {
  constructor(problems: string[]) {
    super(
      `Invalid configuration in the environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigurationError';
  }
}

/**
 * What a service prints when it cannot start. A message alone ("Closed connection", from a
 * kafkajs admin during a broker restart) once left the chaos run guessing which step failed:
 * the stack says, and so do the causes a library wrapped.
 */
export function describeStartFailure(error: unknown): string {
  if (error instanceof ConfigurationError) return error.message;
  if (!(error instanceof Error)) return `start-up failed: ${String(error)}`;
  const lines = [error.stack ?? `${error.name}: ${error.message}`];
  const seen = new Set<unknown>([error]);
  for (let cause = error.cause; cause instanceof Error && !seen.has(cause); cause = cause.cause) {
    seen.add(cause);
    // kafkajs puts the cause's stack into its own already.
    if (!lines[0].includes(cause.message)) lines.push(`Caused by: ${cause.stack ?? cause.message}`);
  }
  return lines.join('\n');
}

/** `main().catch(exitOnStartFailure)`: says why, then exits 1 (compose restarts it). */
export function exitOnStartFailure(error: unknown): never {
  console.error(describeStartFailure(error));
  process.exit(1);
}
