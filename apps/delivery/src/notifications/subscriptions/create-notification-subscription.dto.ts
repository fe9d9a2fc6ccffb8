import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, IsUrl, Matches, MaxLength, ValidateIf } from 'class-validator';
import { E164_PHONE_NUMBER } from '@drone-delivery/contracts';

// Absent means "not this channel"; null is rejected rather than read as absent.
const GIVEN = (_: object, value: unknown) => value !== undefined;

/**
 * `POST /api/v1/deliveries/{deliveryId}/notifications`: the channels to notify on, at least one
 * (the service says so when none is given).
 */
export class CreateNotificationSubscriptionDto {
  @ApiPropertyOptional({ format: 'email', example: 'ada@example.com' })
  @ValidateIf(GIVEN)
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;

  @ApiPropertyOptional({ pattern: E164_PHONE_NUMBER.source, example: '+14255550100' })
  @ValidateIf(GIVEN)
  @IsString()
  @Matches(E164_PHONE_NUMBER, {
    message: 'sms must be a phone number in E.164 form: + and 8 to 15 digits',
  })
  sms?: string;

  @ApiPropertyOptional({ format: 'uri', example: 'https://example.com/hooks/deliveries' })
  @ValidateIf(GIVEN)
  @IsString()
  @MaxLength(2_048)
  @IsUrl(
    // Hosts without a TLD too (an intranet name, an address): it is the subscriber's endpoint.
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'webhookUrl must be an http or https URL' },
  )
  webhookUrl?: string;
}
