import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { UsersModule } from '../users/users.module';
import { ExpiredPayloadPruner } from './expired-payload-pruner';
import { IdentityProvider } from './identity-provider';

@Module({
  imports: [SigningKeysModule, ClientsModule, UsersModule],
  providers: [IdentityProvider, ExpiredPayloadPruner],
  exports: [IdentityProvider],
})
export class OidcModule {}
