import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** What a person may do once signed in: act for one account, or for all of them. */
export type UserScope = 'customer' | 'operator';

/** A person who signs in (authorization code + PKCE, through the dashboard). */
@Entity('users')
export class User {
  @PrimaryColumn('uuid') id!: string;
  /** Stored lower-case: the same address however it is typed. */
  @Column('text') email!: string;
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column('text') scope!: UserScope;
  /** The account a customer acts for; null for an operator. */
  @Column('uuid', { name: 'account_id', nullable: true }) accountId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
