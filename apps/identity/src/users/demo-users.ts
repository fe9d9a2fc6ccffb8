import { DEMO_PEOPLE } from '@drone-delivery/contracts';
import { type UserScope } from './user.entity';

export interface DemoUser {
  id: string;
  email: string;
  password: string;
  scope: UserScope;
  accountId: string | null;
}

/**
 * The people of the demo (IDENTITY_DEMO_SEED): a customer of Contoso Pharmacy and an operator,
 * as libs/contracts publishes them for the dashboard's tests. Demo passwords, published on
 * purpose; a real deployment seeds none of them.
 */
export const DEMO_USERS = DEMO_PEOPLE satisfies Record<string, DemoUser>;
