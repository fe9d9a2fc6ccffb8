import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** An OAuth client: an account's API client, the operator console, or the dashboard. */
@Entity('clients')
export class OAuthClient {
  @PrimaryColumn('text', { name: 'client_id' }) clientId!: string;
  /** scrypt hash of the secret; null for a public client, which proves itself with PKCE. */
  @Column('text', { name: 'client_secret_hash', nullable: true }) clientSecretHash!: string | null;
  @Column('text', { name: 'token_endpoint_auth_method' })
  tokenEndpointAuthMethod!: ClientAuthMethod;
  @Column('text', { name: 'grant_types', array: true }) grantTypes!: string[];
  @Column('text', { name: 'redirect_uris', array: true }) redirectUris!: string[];
  /** The scopes the client may be granted, space-separated (`customer`, `operator`). */
  @Column('text') scope!: string;
  /** The account a customer client acts for (its tokens' `account_id`). */
  @Column('uuid', { name: 'account_id', nullable: true }) accountId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
