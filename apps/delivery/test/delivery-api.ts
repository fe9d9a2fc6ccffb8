/**
 * What the public-API and quota specs share: the delivery service as a real process, with a
 * test issuer for the access tokens of its public routes, and a client that calls its internal
 * routes as the scheduler does (service token) and its public ones with whatever token a test
 * gives.
 */
import { v7 as uuidv7 } from 'uuid';
import { type PutDeliveryRequest } from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import {
  startServiceProcess,
  testKafkaBrokers,
  uniqueGroupId,
  type ServiceProcess,
  type TestDatabase,
  type TestIssuer,
  serviceTokenEnv,
  testSigningKey,
} from '@drone-delivery/testing';

export interface Answer<T> {
  status: number;
  headers: Headers;
  /** The body as sent, to compare two answers byte for byte. */
  text: string;
  body: T;
}

export function putRequest(accountId: string): PutDeliveryRequest {
  const inAnHour = Date.now() + 3_600_000;
  return {
    accountId,
    packageId: uuidv7(),
    droneId: uuidv7(),
    pickup: { lat: 47.6101, lng: -122.3421 },
    dropoff: { lat: 47.6205, lng: -122.3493 },
    expedited: false,
    confirmationRequired: 'none',
    pickupEta: new Date(inAnHour).toISOString(),
    dropoffEta: new Date(inAnHour + 1_200_000).toISOString(),
  };
}

export function startDelivery(
  database: TestDatabase,
  issuer: TestIssuer,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  return startServiceProcess({
    app: 'delivery',
    env: {
      ...issuer.env,
      DATABASE_URL: database.url,
      ...serviceTokenEnv(),
      LOG_LEVEL: 'error',
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      KAFKA_GROUP_ID: uniqueGroupId('delivery-public-api'),
      NOTIFICATION_MATCHER_GROUP_ID: uniqueGroupId('delivery-public-api-matcher'),
      NOTIFIER_GROUP_ID: uniqueGroupId('delivery-public-api-notifier'),
      ...env,
    },
  });
}

export class DeliveryClient {
  private readonly scheduler = new ServiceTokens({
    serviceName: 'scheduler',
    signingKey: testSigningKey(),
  });

  constructor(private readonly service: ServiceProcess) {}

  /** `PUT /internal/v1/deliveries/{id}`, as the scheduler's saga sends it. */
  async put<T = unknown>(deliveryId: string, body: PutDeliveryRequest): Promise<Answer<T>> {
    return this.send<T>('PUT', `/internal/v1/deliveries/${deliveryId}`, {
      authorization: `Bearer ${await this.scheduler.tokenFor('delivery')}`,
      body,
    });
  }

  async cancel<T = unknown>(deliveryId: string): Promise<Answer<T>> {
    return this.send<T>('DELETE', `/internal/v1/deliveries/${deliveryId}`, {
      authorization: `Bearer ${await this.scheduler.tokenFor('delivery')}`,
    });
  }

  /** Any route; `authorization` is the whole header value, or undefined for none. */
  async send<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: { authorization?: string; body?: unknown } = {},
  ): Promise<Answer<T>> {
    const response = await fetch(`${this.service.url}${path}`, {
      method,
      headers: {
        ...(options.authorization !== undefined && { authorization: options.authorization }),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: JSON.parse(text) as T,
    };
  }
}
