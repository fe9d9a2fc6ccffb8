import { Module } from '@nestjs/common';
import { OidcModule } from '../oidc/oidc.module';
import { UsersModule } from '../users/users.module';
import { InteractionController } from './interaction.controller';

@Module({
  imports: [OidcModule, UsersModule],
  controllers: [InteractionController],
})
export class InteractionModule {}
