import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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
}
