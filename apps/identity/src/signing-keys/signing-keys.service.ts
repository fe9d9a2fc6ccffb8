import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type IdentityConfig } from '../config/identity.config';
import { IDENTITY_CONFIG } from '../config/identity.config.token';
import { generateSigningKey, parseSigningJwks, type SigningJwk } from './signing-jwk';
import { SigningKey } from './signing-key.entity';

/** Any fixed number: held while a replica decides whether to generate the first key. */
const KEY_GENERATION_LOCK = 4_242_008;

/**
 * The issuer's private keys, first one signing. From IDENTITY_SIGNING_KEYS when set (the way to
 * rotate: publish the new key second, then make it first, then drop the old one once the
 * longest-lived token signed with it has expired); otherwise from identity's own database,
 * where the first replica to start generates one ES256 key.
 */
@Injectable()
export class SigningKeysService {
  private readonly logger = new Logger(SigningKeysService.name);

  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly dataSource: DataSource,
  ) {}

  async loadSigningKeys(): Promise<SigningJwk[]> {
    if (this.config.IDENTITY_SIGNING_KEYS)
      return parseSigningJwks(this.config.IDENTITY_SIGNING_KEYS);
    return this.storedOrGeneratedKeys();
  }

  private storedOrGeneratedKeys(): Promise<SigningJwk[]> {
    return this.dataSource.transaction(async (manager) => {
      // Two replicas starting on an empty table must not each generate a key of their own.
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_GENERATION_LOCK]);
      const keys = manager.getRepository(SigningKey);
      const stored = await keys.find({ order: { createdAt: 'ASC', kid: 'ASC' } });
      if (stored.length > 0) return stored.map((key) => key.privateJwk);
      const generated = generateSigningKey();
      await keys.insert({ kid: generated.kid, privateJwk: generated });
      this.logger.log(`Generated signing key ${generated.kid} (ES256) and stored it`);
      return [generated];
    });
  }
}
