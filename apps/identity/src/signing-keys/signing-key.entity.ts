import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type SigningJwk } from './signing-jwk';

/** A key the issuer generated for itself, kept so that every replica signs with the same one. */
@Entity('signing_keys')
export class SigningKey {
  @PrimaryColumn('text') kid!: string;
  @Column('jsonb', { name: 'private_jwk' }) privateJwk!: SigningJwk;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
