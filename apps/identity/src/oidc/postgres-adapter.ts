import { type Adapter, type AdapterPayload } from 'oidc-provider';
import { type DataSource } from 'typeorm';
import { type ClientsService } from '../clients/clients.service';

interface PayloadRow {
  payload: AdapterPayload;
  consumed_at: Date | null;
}

/**
 * oidc-provider's storage in identity's database: one table for every model it keeps
 * (sessions, interactions, authorization codes, grants...), so every replica sees the sign-ins
 * and codes of the others. Expired rows are ignored here and deleted by ExpiredPayloadPruner.
 */
export class PostgresPayloadAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly dataSource: DataSource,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO oidc_payloads (model, id, payload, grant_id, uid, user_code, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))
       ON CONFLICT (model, id) DO UPDATE SET
         payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, uid = EXCLUDED.uid,
         user_code = EXCLUDED.user_code, expires_at = EXCLUDED.expires_at`,
      [
        this.model,
        id,
        payload,
        payload.grantId ?? null,
        payload.uid ?? null,
        payload.userCode ?? null,
        expiresIn ?? null,
      ],
    );
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('id', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('uid', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('user_code', userCode);
  }

  async consume(id: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE oidc_payloads SET consumed_at = now() WHERE model = $1 AND id = $2',
      [this.model, id],
    );
  }

  async destroy(id: string): Promise<void> {
    await this.dataSource.query('DELETE FROM oidc_payloads WHERE model = $1 AND id = $2', [
      this.model,
      id,
    ]);
  }

  /** Every record of a grant, whatever its model: revoking a grant revokes its codes too. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM oidc_payloads WHERE grant_id = $1', [grantId]);
  }

  private async findWhere(
    column: 'id' | 'uid' | 'user_code',
    value: string,
  ): Promise<AdapterPayload | undefined> {
    const rows: PayloadRow[] = await this.dataSource.query(
      `SELECT payload, consumed_at FROM oidc_payloads
       WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now())`,
      [this.model, value],
    );
    const row = rows[0];
    if (!row) return undefined;
    return row.consumed_at
      ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) }
      : row.payload;
  }
}

/** Clients are not oidc-provider's records but identity's own: read from the clients table. */
export class ClientsTableAdapter implements Adapter {
  constructor(private readonly clients: ClientsService) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const metadata = await this.clients.findClientMetadata(id);
    return metadata && { ...metadata };
  }

  upsert(): Promise<void> {
    return Promise.reject(
      new Error('clients are registered in the clients table, not through OAuth'),
    );
  }

  findByUid(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  consume(): Promise<void> {
    return Promise.resolve();
  }

  destroy(): Promise<void> {
    return Promise.resolve();
  }

  revokeByGrantId(): Promise<void> {
    return Promise.resolve();
  }
}

/** What oidc-provider calls once per model name to get that model's storage. */
export function adapterFactory(dataSource: DataSource, clients: ClientsService) {
  return (model: string): Adapter =>
    model === 'Client'
      ? new ClientsTableAdapter(clients)
      : new PostgresPayloadAdapter(model, dataSource);
}
