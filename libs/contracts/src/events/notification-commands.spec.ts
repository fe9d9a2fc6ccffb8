import { EventValidationError } from './cloud-event';
import {
  parseNotificationCommand,
  SEND_NOTIFICATION,
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
  ])('rejects %s, saying why', (_, message, reason) => {
    expect(() => parseNotificationCommand(message)).toThrow(EventValidationError);
    expect(() => parseNotificationCommand(message)).toThrow(reason);
  });
});
