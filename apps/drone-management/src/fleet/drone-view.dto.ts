import { ApiProperty } from '@nestjs/swagger';
import { type DroneView } from '@drone-delivery/contracts';
import { GeoPointDto } from '@drone-delivery/service-defaults';

/** `GET /internal/v1/drones`: one drone of the fleet. */
export class DroneViewDto implements DroneView {
  @ApiProperty({ format: 'uuid' }) droneId!: string;
  @ApiProperty({ example: 'drone-01' }) name!: string;
  @ApiProperty({ enum: ['idle', 'assigned'] }) status!: DroneView['status'];
  @ApiProperty({ type: GeoPointDto }) location!: GeoPointDto;
  @ApiProperty({ type: GeoPointDto }) homeBase!: GeoPointDto;
  @ApiProperty({ example: 10 }) maxPayloadKg!: number;
  @ApiProperty({ example: 100, minimum: 0, maximum: 100 }) batteryPercent!: number;
}
