import { EventValidationError } from './cloud-event';
import {
  notificationTargetProblem,
  parseNotificationCommand,
  SEND_NOTIFICATION,
  SUBSCRIPTION_REQUEST_FIELDS,
  subscriptionRequestErrors,
  type SendNotificationCommand,
} from './notification-commands';

const valid: SendNotificationCommand = {
  specversion: '1.0',
  id: '0192f0c4-5a1b-7c3d-8e4f-123456789abc',
  source: '/delivery',
  type: SEND_NOTIFICATION,
  subject: '0192f0c4-0000-7c3d-8e4f-123456789abc',
  time: '2026-11-22T10:00:00.000Z',
  datacontenttype: 'application/json',
  sequence: 4,
  data: {
    subscriptionId: '0192f0c4-0000-7c3d-8e4f-123456789abc',
    deliveryId: '0192f0c4-1111-7c3d-8e4f-123456789abc',
    eventId: '0192f0c4-2222-7c3d-8e4f-123456789abc',
    eventType: 'DeliveryCancelled',
    occurredAt: '2026-11-22T09:59:59.000Z',
    channel: 'email',
    target: 'ada@example.com',
    subject: 'Your delivery has been cancelled',
    text: 'Delivery 0192f0c4-1111-7c3d-8e4f-123456789abc has been cancelled.',
  },
};

const withData = (data: Partial<SendNotificationCommand['data']>) => ({
  ...valid,
  data: { ...valid.data, ...data },
});

describe('parseNotificationCommand', () => {
  it('accepts a command for each channel, as an object or as JSON text', () => {
    expect(parseNotificationCommand(valid)).toEqual(valid);
    expect(parseNotificationCommand(JSON.stringify(valid))).toEqual(valid);
    const sms = withData({ channel: 'sms', target: '+14255550100' });
    expect(parseNotificationCommand(sms)).toEqual(sms);
    const webhook = withData({ channel: 'webhook', target: 'https://hooks.example.com/d?x=1' });
    expect(parseNotificationCommand(webhook)).toEqual(webhook);
  });

  it.each([
    ['text that is not JSON', '{"id": ', /not JSON/],
    [
      'a delivery event',
      { ...valid, type: 'drone-delivery.delivery.DeliveryCreated.v1' },
      /no events of type/,
    ],
    ['an unknown channel', withData({ channel: 'pigeon' as 'sms' }), /\/channel/],
    [
      'an unknown event type',
      withData({ eventType: 'DeliveryLost' as 'DeliveryCreated' }),
      /\/eventType/,
    ],
    ['an e-mail target that is not an address', withData({ target: 'not-an-address' }), /\/target/],
    [
      'an SMS target that is not E.164',
      withData({ channel: 'sms', target: '0425 555 0100' }),
      /\/target/,
    ],
    [
      'a webhook target that is not http(s)',
      withData({ channel: 'webhook', target: 'ftp://example.com/x' }),
      /\/target/,
    ],
    ['an extra data field', { ...valid, data: { ...valid.data, secret: 'x' } }, /additional/],
    // The notifier stores it: Postgres text refuses NUL, which would be retried as a failure.
    ['an event id holding NUL', withData({ eventId: 'event\u0000' }), /\/eventId/],
  ])('rejects %s, saying why', (_, message, reason) => {
    expect(() => parseNotificationCommand(message)).toThrow(EventValidationError);
    expect(() => parseNotificationCommand(message)).toThrow(reason);
  });
});

describe('the subscription request and the command target: one rule', () => {
  const longEmail = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;

  it.each([
    ['an e-mail address', { email: 'ada@example.com' }],
    ['an e-mail address of 254 characters', { email: longEmail }],
    ['an SMS number of 8 digits', { sms: '+12345678' }],
    ['an SMS number of 15 digits', { sms: '+123456789012345' }],
    ['an https webhook with a query', { webhookUrl: 'https://hooks.example.com/d?x=1' }],
    [
      'every channel',
      { email: 'ada@example.com', sms: '+14255550100', webhookUrl: 'http://example.com/h' },
    ],
  ])('accepts %s, in the request and as the command target', (_, body) => {
    expect(subscriptionRequestErrors(body)).toEqual([]);
    for (const [channel, field] of Object.entries(SUBSCRIPTION_REQUEST_FIELDS)) {
      const target = (body as Record<string, string>)[field];
      if (target === undefined) continue;
      const command = withData({ channel: channel as 'email', target });
      expect(parseNotificationCommand(command)).toEqual(command);
    }
  });

  it.each([
    ['email', 'an internationalised address', 'ü@example.com'],
    ['email', 'an address with NUL', 'ada\u0000@example.com'],
    ['email', 'an address of 255 characters', `a${longEmail}`],
    ['email', 'no address', 'ada at example.com'],
    ['sms', 'a number of 7 digits', '+1234567'],
    ['sms', 'a number of 16 digits', '+1234567890123456'],
    ['sms', 'a number with NUL', '+14255550100\u0000'],
    ['sms', 'a number without +', '14255550100'],
    ['webhook', 'an upper-case scheme', 'HTTPS://example.com/hook'],
    ['webhook', 'a URL with NUL', 'https://example.com/\u0000'],
    ['webhook', 'a URL with a space', 'https://example.com/a b'],
    ['webhook', 'a URL of 2049 characters', `https://example.com/${'x'.repeat(2_029)}`],
    ['webhook', 'an ftp URL', 'ftp://example.com/x'],
  ] as const)('refuses as %s target %s, in the request and in a command', (channel, _, target) => {
    const field = SUBSCRIPTION_REQUEST_FIELDS[channel];

    expect(subscriptionRequestErrors({ [field]: target })).toEqual([
      { field, message: expect.stringContaining(field) as string },
    ]);
    expect(notificationTargetProblem(channel, target)).toMatch(channel);
    expect(() => parseNotificationCommand(withData({ channel, target }))).toThrow(/\/target/);
  });

  it.each([
    ['no channel', {}, 'body'],
    ['a null channel', { email: null }, 'email'],
    ['an unknown field', { email: 'ada@example.com', pigeon: 'yes' }, 'pigeon'],
    ['a list', ['ada@example.com'], 'body'],
    ['text', 'ada@example.com', 'body'],
  ])('names the field of %s', (_, body, field) => {
    expect(subscriptionRequestErrors(body)).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  });
});
