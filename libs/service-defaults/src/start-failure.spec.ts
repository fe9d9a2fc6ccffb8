import { ConfigurationError, describeStartFailure } from './start-failure';

describe('describeStartFailure', () => {
  it('prints a configuration error as its message: the settings and what they must be', () => {
    const error = new ConfigurationError(['PORT: PORT must not be greater than 65535']);
    expect(describeStartFailure(error)).toBe(
      'Invalid configuration in the environment:\n  - PORT: PORT must not be greater than 65535',
    );
  });

  it('prints any other failure with its stack and the causes it wraps', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:9092');
    const error = new Error('Closed connection', { cause });
    const printed = describeStartFailure(error);
    expect(printed).toMatch(/^Error: Closed connection\n\s+at /);
    expect(printed).toContain('start-failure.spec.ts');
    expect(printed).toContain('Caused by: Error: connect ECONNREFUSED 127.0.0.1:9092');
  });

  it('says what was thrown when it is no Error', () => {
    expect(describeStartFailure('broker gone')).toBe('start-up failed: broker gone');
  });
});
