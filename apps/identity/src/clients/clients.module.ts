import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type IdentityConfig } from '../config/identity.config';
import { IDENTITY_CONFIG } from '../config/identity.config.token';
import { ClientsService } from './clients.service';
import { OAuthClient } from './oauth-client.entity';

@Module({
  imports: [TypeOrmModule.forFeature([OAuthClient])],
  providers: [ClientsService],
  exports: [ClientsService],
})
export class ClientsModule implements OnApplicationBootstrap {
  constructor(
    private readonly clients: ClientsService,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.clients.registerDashboardClient(this.config.DASHBOARD_REDIRECT_URIS);
    if (this.config.IDENTITY_DEMO_SEED === 'true') await this.clients.seedDemoClients();
  }
}
