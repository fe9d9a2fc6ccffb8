import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class CreateIdentity1733500000000 implements MigrationInterface {
  name = 'CreateIdentity1733500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Keys the issuer generated for itself (no IDENTITY_SIGNING_KEYS): replicas share them.
    await queryRunner.query(`
      CREATE TABLE signing_keys (
        kid text PRIMARY KEY,
        private_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    // OAuth clients. Secrets are scrypt hashes; a public client (PKCE) has none.
    await queryRunner.query(`
      CREATE TABLE clients (
        client_id text PRIMARY KEY,
        client_secret_hash text,
        token_endpoint_auth_method text NOT NULL
          CHECK (token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post', 'none')),
        grant_types text[] NOT NULL,
        redirect_uris text[] NOT NULL DEFAULT '{}',
        scope text NOT NULL,
        account_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((token_endpoint_auth_method = 'none') = (client_secret_hash IS NULL))
      )`);

    // People who sign in: a customer acts for one account, an operator for all.
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL UNIQUE CHECK (email = lower(email)),
        password_hash text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('customer', 'operator')),
        account_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (scope <> 'customer' OR account_id IS NOT NULL)
      )`);

    // oidc-provider's short-lived records (sessions, interactions, codes, grants...), one table.
    await queryRunner.query(`
      CREATE TABLE oidc_payloads (
        model text NOT NULL,
        id text NOT NULL,
        payload jsonb NOT NULL,
        grant_id text,
        uid text,
        user_code text,
        expires_at timestamptz,
        consumed_at timestamptz,
        PRIMARY KEY (model, id)
      )`);
    await queryRunner.query('CREATE INDEX oidc_payloads_grant_id ON oidc_payloads (grant_id)');
    await queryRunner.query('CREATE INDEX oidc_payloads_uid ON oidc_payloads (model, uid)');
    await queryRunner.query(
      'CREATE INDEX oidc_payloads_user_code ON oidc_payloads (model, user_code)',
    );
    await queryRunner.query('CREATE INDEX oidc_payloads_expires_at ON oidc_payloads (expires_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE oidc_payloads');
    await queryRunner.query('DROP TABLE users');
    await queryRunner.query('DROP TABLE clients');
    await queryRunner.query('DROP TABLE signing_keys');
  }
}
