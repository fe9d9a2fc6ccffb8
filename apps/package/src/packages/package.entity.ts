import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { type PackageSize } from '@drone-delivery/contracts';

/** Postgres returns numeric as a string (it may not fit a double); weights always do. */
const numericAsNumber = {
  to: (value: number): number => value,
  from: (value: string): number => Number(value),
};

@Entity('packages')
export class Package {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text') size!: PackageSize;
  @Column('numeric', { name: 'weight_kg', transformer: numericAsNumber }) weightKg!: number;
  @Column('text', { nullable: true }) tag!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
