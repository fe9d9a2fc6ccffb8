import { Transform, Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
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

  /** Wait after the first failed send; it doubles after each further one. */
  @Type(() => Number) @IsInt() @Min(10) @Max(10_000) NOTIFY_BACKOFF_MS: number = 500;

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
}

export function loadDeliveryConfig(env: NodeJS.ProcessEnv = process.env): DeliveryConfig {
  return loadEnvironment(DeliveryConfig, env);
}
