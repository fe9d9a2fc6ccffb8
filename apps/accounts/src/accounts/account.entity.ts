import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type AccountStatus } from '@drone-delivery/contracts';

@Entity('accounts')
export class Account {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') status!: AccountStatus;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
