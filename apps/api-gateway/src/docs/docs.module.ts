import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { PublicDocs } from './public-docs';

/** The public API's OpenAPI document, merged from the services behind the gateway. */
@Module({
  imports: [RoutingModule],
  providers: [PublicDocs],
  exports: [PublicDocs],
})
export class DocsModule {}
