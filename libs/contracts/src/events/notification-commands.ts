import { type ValidateFunction } from 'ajv';
import { type FieldError } from '../problem-details';
import { ajv, CLOUD_EVENT_SCHEMA, type CloudEvent, eventParser } from './cloud-event';
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
 * Where each channel sends, as JSON Schema: the one rule for a subscriber's address, checked
 * where it enters (the subscribe route) and wherever it is used (the command's `target`, the
 * notifier). The database CHECKs of notification_subscriptions accept all of these and more, so
 * what passes here never fails there.
 *
 * E-mail: ASCII addresses only (ajv-formats' `email`): an internationalised address (`ü@…`) needs
 * SMTPUTF8 all the way to the mailbox, which this service cannot promise, so it is refused.
 * Webhook: refused unless the scheme is written `http` or `https` in lower case, rather than
 * normalised: the URL stored is exactly the one the subscriber gave and the database CHECK reads.
 * None of the patterns admits NUL or other control characters, which Postgres text refuses.
 * Whether a webhook's host may be called is the deployment's rule, not the contract's (delivery's
 * WebhookDestinationPolicy).
 */
export const NOTIFICATION_TARGET_SCHEMAS = {
  email: { type: 'string', maxLength: 254, format: 'email' },
  sms: { type: 'string', pattern: E164_PHONE_NUMBER.source },
  webhook: { type: 'string', maxLength: 2_048, format: 'uri', pattern: '^https?://' },
} as const satisfies Record<NotificationChannel, object>;

/** What a subscriber reads when its address does not fit the channel. */
const TARGET_MESSAGES: Record<NotificationChannel, string> = {
  email: 'must be an e-mail address of at most 254 ASCII characters',
  sms: 'must be a phone number in E.164 form: + and 8 to 15 digits',
  webhook: 'must be an http or https URL (scheme in lower case) of at most 2048 characters',
};

/** `POST /api/v1/deliveries/{deliveryId}/notifications`: the channels to notify on. */
export interface NotificationSubscriptionRequest {
  email?: string;
  sms?: string;
  webhookUrl?: string;
}

/** The request's field of each channel. */
export const SUBSCRIPTION_REQUEST_FIELDS = {
  email: 'email',
  sms: 'sms',
  webhook: 'webhookUrl',
} as const satisfies Record<NotificationChannel, keyof NotificationSubscriptionRequest>;

/** At least one channel; absent means "not this channel", and null is no address. */
export const NOTIFICATION_SUBSCRIPTION_REQUEST_SCHEMA = {
  type: 'object',
  minProperties: 1,
  properties: {
    email: NOTIFICATION_TARGET_SCHEMAS.email,
    sms: NOTIFICATION_TARGET_SCHEMAS.sms,
    webhookUrl: NOTIFICATION_TARGET_SCHEMAS.webhook,
  },
  additionalProperties: false,
} as const;

const validateSubscriptionRequest = ajv.compile(NOTIFICATION_SUBSCRIPTION_REQUEST_SCHEMA);
const targetValidators = Object.fromEntries(
  NOTIFICATION_CHANNELS.map((channel) => [
    channel,
    ajv.compile(NOTIFICATION_TARGET_SCHEMAS[channel]),
  ]),
) as Record<NotificationChannel, ValidateFunction>;

/** Every field error of a subscribe request, in the API's 400 shape; none when it is valid. */
export function subscriptionRequestErrors(body: unknown): FieldError[] {
  if (validateSubscriptionRequest(body)) return [];
  const errors = (validateSubscriptionRequest.errors ?? []).map((error): FieldError => {
    if (error.keyword === 'additionalProperties') {
      const field = String((error.params as { additionalProperty: string }).additionalProperty);
      return { field, message: `${field} is not a field of a subscription` };
    }
    if (error.keyword === 'minProperties') {
      return { field: 'body', message: 'give at least one of email, sms and webhookUrl' };
    }
    const field = error.instancePath.slice(1);
    const channel = NOTIFICATION_CHANNELS.find(
      (name) => SUBSCRIPTION_REQUEST_FIELDS[name] === field,
    );
    if (channel === undefined) return { field: 'body', message: 'must be a JSON object' };
    return { field, message: `${field} ${TARGET_MESSAGES[channel]}` };
  });
  // allErrors reports one field's format and length separately: one line per field is enough.
  return [...new Map(errors.map((error) => [error.field, error])).values()];
}

/** Why `target` cannot be sent to on `channel`, or undefined when it can. */
export function notificationTargetProblem(
  channel: NotificationChannel,
  target: unknown,
): string | undefined {
  return targetValidators[channel](target)
    ? undefined
    : `the ${channel} target ${TARGET_MESSAGES[channel]}`;
}

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
  then: { type: 'object', properties: { target } },
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
    // The delivery event's id, by the envelope's rule: the notifier stores it (no NUL in text).
    eventId: CLOUD_EVENT_SCHEMA.properties.id,
    eventType: { enum: Object.keys(DELIVERY_EVENT_TYPES) },
    occurredAt: { type: 'string', format: 'date-time' },
    channel: { enum: NOTIFICATION_CHANNELS },
    target: { type: 'string', minLength: 1, maxLength: 2_048 },
    subject: { type: 'string', minLength: 1, maxLength: 200 },
    text: { type: 'string', minLength: 1, maxLength: 2_000 },
  },
  // A target that does not fit its channel could never be sent: reject it with the command.
  allOf: NOTIFICATION_CHANNELS.map((channel) =>
    channelTarget(channel, NOTIFICATION_TARGET_SCHEMAS[channel]),
  ),
  additionalProperties: false,
} as const;

/** Checks a message of `notification.commands.v1`: envelope, type and data; throws saying why. */
export const parseNotificationCommand = eventParser<SendNotificationCommand>(
  TOPICS.notificationCommands.name,
  { [SEND_NOTIFICATION]: SEND_NOTIFICATION_DATA_SCHEMA },
);
