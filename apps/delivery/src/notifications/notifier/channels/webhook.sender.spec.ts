import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type SendNotificationData } from '@drone-delivery/contracts';
import { type DeliveryConfig } from '../../../config/delivery.config';
import { type NotificationSubscription } from '../../subscriptions/notification-subscription.entity';
import {
  type ResolveAll,
  WebhookDestinationPolicy,
} from '../../webhook-destinations/webhook-destination-policy';
import { PermanentSendFailure } from './send-failure';
import { WebhookSender } from './webhook.sender';

const CONFIG = { NOTIFY_SEND_TIMEOUT_MS: 5_000 } as DeliveryConfig;
const SUBSCRIPTION = { webhookSecret: 'whsec_spec' } as NotificationSubscription;

function notificationTo(target: string): SendNotificationData {
  return {
    subscriptionId: '0192f0c4-0000-7c3d-8e4f-123456789abc',
    deliveryId: '0192f0c4-1111-7c3d-8e4f-123456789abc',
    eventId: '0192f0c4-2222-7c3d-8e4f-123456789abc',
    eventType: 'DeliveryCancelled',
    occurredAt: '2026-11-22T09:59:59.000Z',
    channel: 'webhook',
    target,
    subject: 'Your delivery has been cancelled',
    text: 'Delivery 0192f0c4-1111-7c3d-8e4f-123456789abc has been cancelled.',
  };
}

describe('WebhookSender', () => {
  const calls: { path: string; headers: IncomingHttpHeaders }[] = [];
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      calls.push({ path: request.url ?? '/', headers: request.headers });
      request.resume();
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts to an allowed host, signed', async () => {
    const sender = new WebhookSender(
      CONFIG,
      new WebhookDestinationPolicy({ allowedHosts: [`127.0.0.1:${port}`], allowHttp: true }),
    );

    await sender.send(notificationTo(`http://127.0.0.1:${port}/hooks/allowed`), SUBSCRIPTION);

    const [call] = calls.filter((received) => received.path === '/hooks/allowed');
    expect(call.headers['x-drone-delivery-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('refuses, without connecting, a host whose DNS answer turned private (rebinding)', async () => {
    const lookedUp: string[] = [];
    // What an attacker's DNS answers once the subscription is stored: loopback.
    const rebound: ResolveAll = (hostname, _options, callback) => {
      lookedUp.push(hostname);
      callback(null, [{ address: '127.0.0.1', family: 4 }]);
    };
    const policy = new WebhookDestinationPolicy({ allowedHosts: [], allowHttp: true }, rebound);
    const url = `http://hooks.rebound.example:${port}/hooks/rebound`;
    expect(policy.refusalOf(url)).toBeUndefined();

    const sent = new WebhookSender(CONFIG, policy).send(notificationTo(url), SUBSCRIPTION);

    await expect(sent).rejects.toThrow(PermanentSendFailure);
    await expect(sent).rejects.toThrow(/hooks\.rebound\.example, which resolves to 127\.0\.0\.1/);
    // The connection's own lookup did the check: one resolution, and nothing reached the server.
    expect(lookedUp).toEqual(['hooks.rebound.example']);
    expect(calls.filter((received) => received.path === '/hooks/rebound')).toEqual([]);
  });

  it('refuses a stored URL the policy refuses, as a permanent failure', async () => {
    const sender = new WebhookSender(
      CONFIG,
      new WebhookDestinationPolicy({ allowedHosts: [], allowHttp: true }),
    );

    await expect(
      sender.send(notificationTo(`http://127.0.0.1:${port}/hooks/literal`), SUBSCRIPTION),
    ).rejects.toThrow(PermanentSendFailure);
    expect(calls.filter((received) => received.path === '/hooks/literal')).toEqual([]);
  });
});
