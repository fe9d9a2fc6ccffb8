import { ApiProperty } from '@nestjs/swagger';
import { type ServiceAreaView } from '@drone-delivery/contracts';
import { GeoPointDto } from '@drone-delivery/service-defaults';

/** `GET /api/v1/service-area`: the area the fleet serves and its home bases. */
export class ServiceAreaViewDto implements ServiceAreaView {
  @ApiProperty({ type: GeoPointDto, description: 'The centre of the area' })
  center!: GeoPointDto;

  @ApiProperty({ example: 25, description: 'Pickups and dropoffs lie within this many km' })
  radiusKm!: number;

  @ApiProperty({
    type: [GeoPointDto],
    description: 'Where the drones start, charge and return to',
  })
  homeBases!: GeoPointDto[];
}
