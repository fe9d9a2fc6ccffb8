import { Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';
import {
  KafkaBrokerList,
  loadEnvironment,
  PublicApiConfig,
} from '@drone-delivery/service-defaults';

/** An empty variable (`SMTP_URL=` in a compose file) means unset, not an invalid value. */
function emptyAsUnset({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

/** An entry of WEBHOOK_ALLOWED_HOSTS: `host` or `[v6 address]`, each with an optional `:port`. */
export const WEBHOOK_HOST_ENTRY = /^(\[[0-9a-f:.]+\]|[^\s:[\]/]+)(?::(\d{1,5}))?$/i;

/** Every setting of the delivery service, from the environment, checked at start-up. */
export class DeliveryConfig extends PublicApiConfig {
  override PORT = 3005;

  /**
   * Deliveries one account may have Created, Rescheduled or InTransit at once; the internal PUT
   * refuses a new one beyond it (429), so one account cannot take the whole fleet.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(100_000) DELIVERY_QUOTA_IN_FLIGHT: number = 25;

  /** Kafka bootstrap servers, `host:port[,host:port]`. */
  @KafkaBrokerList() KAFKA_BROKERS!: string[];

  /** Consumer group of the telemetry consumer; replicas share it, tests give each run its own. */
  @IsString() @Matches(/^[\w.-]+$/) KAFKA_GROUP_ID: string = 'delivery';

  /** How long the outbox relays wait between polls of an empty outbox. */
  @Type(() => Number) @IsInt() @Min(10) @Max(60_000) OUTBOX_POLL_MS: number = 200;

  /** Consumer group of the notification matcher (delivery.events.v1 → notification commands). */
  @IsString()
  @Matches(/^[\w.-]+$/)
  NOTIFICATION_MATCHER_GROUP_ID: string = 'delivery-notification-matcher';

  /** Consumer group of the notifier (notification.commands.v1 → e-mail, SMS, webhooks). */
  @IsString() @Matches(/^[\w.-]+$/) NOTIFIER_GROUP_ID: string = 'delivery-notifier';

  /** Sends per notification, the first included, before it is recorded `failed`. */
  @Type(() => Number) @IsInt() @Min(1) @Max(10) NOTIFY_MAX_ATTEMPTS: number = 3;

  /** Wait after the first failed send; the waits grow exponentially, with jitter, from it. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(10_000)
  @ValidateBy({
    name: 'notAboveBackoffCap',
    validator: {
      validate: (value: number, { object }: ValidationArguments) =>
        value <= (object as DeliveryConfig).NOTIFY_BACKOFF_MAX_MS,
      defaultMessage: () => 'NOTIFY_BACKOFF_MS must not exceed NOTIFY_BACKOFF_MAX_MS',
    },
  })
  NOTIFY_BACKOFF_MS: number = 500;

  /**
   * The longest wait between two sends of one notification. Commands of a partition wait behind
   * it, so it stays short: two minutes at most.
   */
  @Type(() => Number) @IsInt() @Min(10) @Max(120_000) NOTIFY_BACKOFF_MAX_MS: number = 10_000;

  /** Time one send gets: a webhook call, an SMS provider call, each step of an SMTP session. */
  @Type(() => Number) @IsInt() @Min(100) @Max(30_000) NOTIFY_SEND_TIMEOUT_MS: number = 5_000;

  /** Mail server of the e-mail channel, e.g. `smtp://user:pass@mail:587`; unset: no e-mail. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsUrl({ protocols: ['smtp', 'smtps'], require_tld: false, require_protocol: true })
  SMTP_URL?: string;

  /** The sender of notification e-mails. */
  @IsString() @MinLength(3) SMTP_FROM: string =
    'Drone Delivery <notifications@drone-delivery.example>';

  /** The SMS provider's send endpoint (POST {to, body}); unset: no SMS. */
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  SMS_PROVIDER_URL?: string;

  /** The provider's API token, sent as a bearer token; required with SMS_PROVIDER_URL. */
  @Transform(emptyAsUnset)
  @ValidateIf((config: DeliveryConfig) => config.SMS_PROVIDER_URL !== undefined)
  @IsString()
  @MinLength(1)
  SMS_PROVIDER_TOKEN?: string;

  /**
   * Webhook hosts called whatever address they resolve to, `host` or `host:port`, comma-separated
   * (e.g. `127.0.0.1:8080,webhook-receiver`): for demos and tests. Any other webhook must be a
   * public address (no loopback, private, link-local… address, no bare host name).
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((entry) => entry.trim().toLowerCase())
          .filter((entry) => entry.length > 0)
      : value,
  )
  @IsArray()
  @Matches(WEBHOOK_HOST_ENTRY, {
    each: true,
    message: 'each WEBHOOK_ALLOWED_HOSTS entry must be host or host:port',
  })
  WEBHOOK_ALLOWED_HOSTS: string[] = [];

  /** `true`: webhooks over plain http too, not only https (demos and tests). */
  @IsIn(['true', 'false']) WEBHOOK_ALLOW_HTTP: 'true' | 'false' = 'false';
}

export function loadDeliveryConfig(env: NodeJS.ProcessEnv = process.env): DeliveryConfig {
  return loadEnvironment(DeliveryConfig, env);
}
