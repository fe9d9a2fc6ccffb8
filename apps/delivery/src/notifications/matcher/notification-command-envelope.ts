import { v7 as uuidv7 } from 'uuid';
import {
  NOTIFICATION_COMMAND_SOURCE,
  SEND_NOTIFICATION,
  type SendNotificationCommand,
  type SendNotificationData,
} from '@drone-delivery/contracts';

export interface NotificationCommandFacts {
  /** 1 for the subscription's first command, then one more for each. */
  sequence: number;
  time: Date;
  data: SendNotificationData;
  /** The request or message that caused it, when there is one. */
  correlationId?: string;
  /** W3C trace context of the span that caused it (CloudEvents' distributed tracing extension). */
  traceparent?: string;
}

/** The CloudEvents 1.0 envelope of a SendNotification command, with a fresh UUIDv7 as its id. */
export function notificationCommandEnvelope(
  facts: NotificationCommandFacts,
): SendNotificationCommand {
  return {
    specversion: '1.0',
    id: uuidv7(),
    source: NOTIFICATION_COMMAND_SOURCE,
    type: SEND_NOTIFICATION,
    subject: facts.data.subscriptionId,
    time: facts.time.toISOString(),
    datacontenttype: 'application/json',
    sequence: facts.sequence,
    ...(facts.correlationId !== undefined && { correlationid: facts.correlationId }),
    ...(facts.traceparent !== undefined && { traceparent: facts.traceparent }),
    data: facts.data,
  };
}
