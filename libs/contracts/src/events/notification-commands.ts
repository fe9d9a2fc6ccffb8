import { type CloudEvent, eventParser } from './cloud-event';
import { DELIVERY_EVENT_TYPES, type DeliveryEventName } from './delivery-events';
import { TOPICS } from './topics';

/** The `source` of every notification command: delivery's notification matcher. */
export const NOTIFICATION_COMMAND_SOURCE = '/delivery';

/** CloudEvents `type` of the one command `notification.commands.v1` carries. */
export const SEND_NOTIFICATION = 'drone-delivery.notification.SendNotification.v1';

/** How a subscriber is told: one command per channel the subscription names. */
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'webhook'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** A phone number in E.164: `+`, then 8 to 15 digits. */
export const E164_PHONE_NUMBER = /^\+\d{8,15}$/;

/**
 * One notification to send, decided by the matcher: everything the notifier needs except
 * secrets (a webhook's signing secret stays in delivery's database, never on the topic).
 * `(subscriptionId, eventId, channel)` names it: the notifier sends each at most once per
 * recorded success.
 */
export interface SendNotificationData {
  subscriptionId: string;
  deliveryId: string;
  /** The delivery event the notification is about (its CloudEvents id). */
  eventId: string;
  /** Its short name, e.g. `DeliveryRescheduled`. */
  eventType: DeliveryEventName;
  /** When the delivery event happened, ISO 8601. */
  occurredAt: string;
  channel: NotificationChannel;
  /** An e-mail address, an E.164 phone number or a webhook URL, as the channel says. */
  target: string;
  /** A short line for people: the e-mail subject, the start of an SMS. */
  subject: string;
  text: string;
}

/**
 * A command, not an event: it has exactly one consumer (the notifier). `subject` is the
 * subscription and `sequence` counts the commands of that subscription.
 */
export type SendNotificationCommand = CloudEvent<typeof SEND_NOTIFICATION, SendNotificationData>;

const channelTarget = (channel: NotificationChannel, target: object) => ({
  if: { type: 'object', required: ['channel'], properties: { channel: { const: channel } } },
  then: { type: 'object', properties: { target: { type: 'string', ...target } } },
});

export const SEND_NOTIFICATION_DATA_SCHEMA = {
  type: 'object',
  required: [
    'subscriptionId',
    'deliveryId',
    'eventId',
    'eventType',
    'occurredAt',
    'channel',
    'target',
    'subject',
    'text',
  ],
  properties: {
    subscriptionId: { type: 'string', format: 'uuid' },
    deliveryId: { type: 'string', format: 'uuid' },
    eventId: { type: 'string', minLength: 1, maxLength: 100 },
    eventType: { enum: Object.keys(DELIVERY_EVENT_TYPES) },
    occurredAt: { type: 'string', format: 'date-time' },
    channel: { enum: NOTIFICATION_CHANNELS },
    target: { type: 'string', minLength: 1, maxLength: 2_048 },
    subject: { type: 'string', minLength: 1, maxLength: 200 },
    text: { type: 'string', minLength: 1, maxLength: 2_000 },
  },
  // A target that does not fit its channel could never be sent: reject it with the command.
  allOf: [
    channelTarget('email', { format: 'email' }),
    channelTarget('sms', { pattern: E164_PHONE_NUMBER.source }),
    channelTarget('webhook', { format: 'uri', pattern: '^https?://' }),
  ],
  additionalProperties: false,
} as const;

/** Checks a message of `notification.commands.v1`: envelope, type and data; throws saying why. */
export const parseNotificationCommand = eventParser<SendNotificationCommand>(
  TOPICS.notificationCommands.name,
  { [SEND_NOTIFICATION]: SEND_NOTIFICATION_DATA_SCHEMA },
);
