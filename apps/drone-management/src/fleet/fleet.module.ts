import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Drone } from './drone.entity';
import { FleetController } from './fleet.controller';
import { FleetService } from './fleet.service';

@Module({
  imports: [TypeOrmModule.forFeature([Drone])],
  controllers: [FleetController],
  providers: [FleetService],
})
export class FleetModule implements OnApplicationBootstrap {
  constructor(private readonly fleet: FleetService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.fleet.seedFleetIfEmpty();
  }
}
