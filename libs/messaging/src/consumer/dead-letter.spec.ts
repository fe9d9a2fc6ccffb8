import { DLQ_HEADERS, fitDeadLetter } from './dead-letter';

describe('fitDeadLetter', () => {
  const headers = { [DLQ_HEADERS.sourceOffset]: '42', [DLQ_HEADERS.errorMessage]: 'not JSON' };

  it('sends a dead letter that fits as it is', () => {
    const letter = { key: 'key', value: 'x'.repeat(900), headers };

    expect(fitDeadLetter(letter, 1_000)).toBe(letter);
  });

  it('cuts the value of one that does not fit, saying so and how large it was', () => {
    const value = `{"data":"${'é'.repeat(2_000)}"}`;

    const fitted = fitDeadLetter({ key: 'key', value, headers }, 1_000);

    expect(fitted.headers).toEqual({
      ...headers,
      [DLQ_HEADERS.valueTruncated]: 'true',
      [DLQ_HEADERS.originalValueBytes]: String(Buffer.byteLength(value)),
    });
    const size =
      Buffer.byteLength(fitted.key ?? '') +
      Buffer.byteLength(fitted.value ?? '') +
      Object.entries(fitted.headers).reduce(
        (sum, [name, text]) => sum + Buffer.byteLength(name) + Buffer.byteLength(text),
        0,
      );
    expect(size).toBe(1_000);
    // The start of the value, byte for byte.
    const kept = Buffer.from(fitted.value ?? '');
    expect(Buffer.from(value).subarray(0, kept.length).equals(kept)).toBe(true);
  });
});
