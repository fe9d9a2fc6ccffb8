import { problemMessage } from './problem-message';

describe('problemMessage', () => {
  it("shows the problem's title and detail as sentences", () => {
    const message = problemMessage(
      {
        type: 'https://drone-delivery.example/problems/out-of-area',
        title: 'Outside the service area',
        status: 422,
        detail: 'the dropoff is 31.2 km from the centre; the service area is 25 km',
      },
      422,
    );
    expect(message).toEqual({
      headline: 'Outside the service area.',
      explanation: 'The dropoff is 31.2 km from the centre; the service area is 25 km.',
      fields: [],
    });
  });

  it('lists field errors, naming the field when the message does not', () => {
    const message = problemMessage(
      {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        errors: [
          { field: 'package.weightKg', message: 'weightKg must be at most 2 for a small package' },
          { field: 'pickup.lat', message: 'must not be greater than 90' },
        ],
      },
      400,
    );
    expect(message.explanation).toBe('Some of what you entered is not accepted.');
    expect(message.fields).toEqual([
      'weightKg must be at most 2 for a small package.',
      'pickup.lat: must not be greater than 90.',
    ]);
  });

  it('says when to try again after a 429', () => {
    const fromExtension = problemMessage(
      { type: 'about:blank', title: 'Too Many Requests', status: 429, retryAfterSeconds: 2.5 },
      429,
    );
    expect(fromExtension.explanation).toBe('Too many requests at once. Try again in 3 seconds.');
    const fromHeader = problemMessage({}, 429, '1');
    expect(fromHeader.explanation).toBe('Too many requests at once. Try again in 1 second.');
  });

  it('explains a status in plain words when the answer is not a problem document', () => {
    expect(problemMessage('<html>Bad gateway</html>', 502)).toEqual({
      headline: 'The request failed (502).',
      explanation: 'A service did not answer properly.',
      fields: [],
    });
    expect(problemMessage(null, 404).explanation).toBe(
      'It does not exist, or it belongs to another account.',
    );
    expect(problemMessage(undefined, 599).explanation).toBe('Something went wrong on our side.');
  });
});
