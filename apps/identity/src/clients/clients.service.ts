import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { hashSecret } from '../common/secret-hash';
import { OAuthClient } from './oauth-client.entity';
import {
  DASHBOARD_CLIENT_ID,
  DASHBOARD_GRANT_TYPES,
  DASHBOARD_SCOPE,
  DEMO_API_CLIENTS,
} from './registered-clients';

/** A client as oidc-provider reads it (RFC 7591 metadata, plus `account_id`). */
export interface ClientMetadata {
  client_id: string;
  /** The stored hash: identity compares secrets with it (see compareClientSecret). */
  client_secret?: string;
  token_endpoint_auth_method: string;
  grant_types: string[];
  response_types: string[];
  redirect_uris: string[];
  scope: string;
  account_id?: string;
}

@Injectable()
export class ClientsService {
  constructor(@InjectRepository(OAuthClient) private readonly clients: Repository<OAuthClient>) {}

  async findClientMetadata(clientId: string): Promise<ClientMetadata | undefined> {
    const client = await this.clients.findOneBy({ clientId });
    if (!client) return undefined;
    return {
      client_id: client.clientId,
      ...(client.clientSecretHash && { client_secret: client.clientSecretHash }),
      token_endpoint_auth_method: client.tokenEndpointAuthMethod,
      grant_types: client.grantTypes,
      response_types: client.grantTypes.includes('authorization_code') ? ['code'] : [],
      redirect_uris: client.redirectUris,
      scope: client.scope,
      ...(client.accountId && { account_id: client.accountId }),
    };
  }

  /**
   * The dashboard is part of the system, not of the demo: always registered, and its row
   * follows this code and DASHBOARD_REDIRECT_URIS at every start.
   */
  async registerDashboardClient(redirectUris: string[]): Promise<void> {
    await this.clients
      .createQueryBuilder()
      .insert()
      .values({
        clientId: DASHBOARD_CLIENT_ID,
        clientSecretHash: null,
        tokenEndpointAuthMethod: 'none',
        grantTypes: DASHBOARD_GRANT_TYPES,
        redirectUris,
        scope: DASHBOARD_SCOPE,
        accountId: null,
      })
      .orUpdate(
        ['token_endpoint_auth_method', 'grant_types', 'redirect_uris', 'scope'],
        ['client_id'],
      )
      .execute();
  }

  /** Idempotent: the demo clients are inserted if missing and left alone otherwise. */
  async seedDemoClients(): Promise<void> {
    const rows = await Promise.all(
      DEMO_API_CLIENTS.map(async (client) => ({
        clientId: client.clientId,
        clientSecretHash: await hashSecret(client.clientSecret),
        tokenEndpointAuthMethod: 'client_secret_basic' as const,
        grantTypes: ['client_credentials'],
        redirectUris: [],
        scope: client.scope,
        accountId: client.accountId,
      })),
    );
    // ON CONFLICT DO NOTHING: a restart must not undo a rotated secret.
    await this.clients.createQueryBuilder().insert().values(rows).orIgnore().execute();
  }
}
