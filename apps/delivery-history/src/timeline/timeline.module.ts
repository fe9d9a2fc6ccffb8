import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SearchModule } from '../search/search.module';
import { TimelineController } from './timeline.controller';
import { TimelineEvent } from './timeline-event.entity';
import { TimelineService } from './timeline.service';

@Module({
  // The delivery summaries say whose delivery a timeline is.
  imports: [TypeOrmModule.forFeature([TimelineEvent]), SearchModule],
  controllers: [TimelineController],
  providers: [TimelineService],
  exports: [TimelineService],
})
export class TimelineModule {}
