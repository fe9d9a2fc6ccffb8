import { DEMO_ACCOUNTS } from '@drone-delivery/contracts';
import { type UserScope } from './user.entity';

export interface DemoUser {
  id: string;
  email: string;
  password: string;
  scope: UserScope;
  accountId: string | null;
}

/**
 * The people of the demo (IDENTITY_DEMO_SEED): a customer of Contoso Pharmacy and an operator.
 * Demo passwords, published on purpose; a real deployment seeds none of them.
 */
export const DEMO_USERS = {
  customer: {
    id: '7b1c2d3e-4f50-4a61-8b72-c3d4e5f60001',
    email: 'customer@contoso.example',
    password: 'contoso-demo',
    scope: 'customer',
    accountId: DEMO_ACCOUNTS.active.accountId,
  },
  operator: {
    id: '7b1c2d3e-4f50-4a61-8b72-c3d4e5f60002',
    email: 'operator@drone-delivery.example',
    password: 'operator-demo',
    scope: 'operator',
    accountId: null,
  },
} as const satisfies Record<string, DemoUser>;
