import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { hashSecret, UNKNOWN_SECRET_HASH, verifySecret } from '../common/secret-hash';
import { DEMO_USERS } from './demo-users';
import { User } from './user.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** The user a token or session names (`sub`), if it still exists. */
  async findUser(userId: string): Promise<User | null> {
    if (!UUID.test(userId)) return null;
    return this.users.findOneBy({ id: userId });
  }

  /** The user these credentials belong to, or null: which of the two was wrong is not said. */
  async verifyCredentials(email: string, password: string): Promise<User | null> {
    const user = await this.users.findOneBy({ email: email.trim().toLowerCase() });
    const matches = await verifySecret(password, user?.passwordHash ?? UNKNOWN_SECRET_HASH);
    return user && matches ? user : null;
  }

  /** Idempotent: the demo users are inserted if missing and left alone otherwise. */
  async seedDemoUsers(): Promise<void> {
    const rows = await Promise.all(
      Object.values(DEMO_USERS).map(async ({ password, ...user }) => ({
        ...user,
        passwordHash: await hashSecret(password),
      })),
    );
    // ON CONFLICT DO NOTHING: a restart must not undo a changed password.
    await this.users.createQueryBuilder().insert().values(rows).orIgnore().execute();
  }
}
