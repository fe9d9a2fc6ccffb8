import { ApiProperty } from '@nestjs/swagger';
import { type AssignmentView } from '@drone-delivery/contracts';
import { GeoPointDto } from '@drone-delivery/service-defaults';

/** A delivery's drone and its planned times. */
export class AssignmentViewDto implements AssignmentView {
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ format: 'uuid' }) droneId!: string;
  @ApiProperty({ enum: ['active', 'released', 'completed'] }) status!: AssignmentView['status'];
  @ApiProperty({ type: GeoPointDto }) pickup!: GeoPointDto;
  @ApiProperty({ type: GeoPointDto }) dropoff!: GeoPointDto;
  @ApiProperty({ example: 1.2 }) packageWeightKg!: number;
  @ApiProperty({ format: 'date-time' }) pickupEta!: string;
  @ApiProperty({ format: 'date-time' }) dropoffEta!: string;
}
