import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NOTIFICATION_CHANNELS, type NotificationChannel } from '@drone-delivery/contracts';

/** What became of one notification of the subscription: an event on one channel. */
export class NotificationRecordViewDto {
  @ApiProperty({ description: 'The delivery event (its CloudEvents id)' }) eventId!: string;
  @ApiProperty({ enum: NOTIFICATION_CHANNELS }) channel!: NotificationChannel;
  @ApiProperty({ enum: ['sent', 'failed'] }) status!: 'sent' | 'failed';
  @ApiProperty({ description: 'Sends tried' }) attempts!: number;
  @ApiPropertyOptional({ description: 'Why the last send failed' }) lastError?: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** A subscription as the API shows it; the webhook secret only in the answer that created it. */
export class NotificationSubscriptionViewDto {
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiPropertyOptional({ format: 'email' }) email?: string;
  @ApiPropertyOptional({ example: '+14255550100' }) sms?: string;
  @ApiPropertyOptional({ format: 'uri' }) webhookUrl?: string;
  @ApiPropertyOptional({
    description:
      'Only in the 201 answer, when webhookUrl is given: the key of the HMAC-SHA256 signature ' +
      'in each webhook call (x-drone-delivery-signature: sha256=<hex of HMAC(secret, ' +
      '`${x-drone-delivery-timestamp}.${body}`)>). Keep it: it is not shown again.',
  })
  webhookSecret?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    type: [NotificationRecordViewDto],
    description:
      'The notifications tried so far, sent or failed, by event and channel; one the service ' +
      'cannot send (an address it cannot use) is failed at once, without holding up the others.',
  })
  notifications!: NotificationRecordViewDto[];
}
