import { randomUUID } from 'node:crypto';
import { ServiceTokens } from '@drone-delivery/http';
import { testSigningKey, type WholeSystem } from '@drone-delivery/testing';

/**
 * A delivery of another account, made the way the scheduler makes one (delivery's internal
 * route, with the scheduler's service token): the customer must not be able to see it.
 */
export async function deliveryOfAnotherAccount(system: WholeSystem): Promise<string> {
  const deliveryId = randomUUID();
  const tokens = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });
  const response = await fetch(
    `${system.services.delivery.url}/internal/v1/deliveries/${deliveryId}`,
    {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await tokens.tokenFor('delivery')}`,
      },
      body: JSON.stringify({
        accountId: randomUUID(),
        packageId: randomUUID(),
        droneId: randomUUID(),
        pickup: { lat: 47.61, lng: -122.33 },
        dropoff: { lat: 47.65, lng: -122.3 },
        expedited: false,
        confirmationRequired: 'none',
        pickupEta: new Date(Date.now() + 600_000).toISOString(),
        dropoffEta: new Date(Date.now() + 1_200_000).toISOString(),
      }),
    },
  );
  if (response.status !== 201) {
    throw new Error(`delivery refused the other account's delivery: ${response.status}`);
  }
  return deliveryId;
}
