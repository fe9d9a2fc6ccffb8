/**
 * The gateway with GATEWAY_TLS_CERT_FILE and GATEWAY_TLS_KEY_FILE: a real process serving HTTPS
 * and WSS on its one port, with a certificate from a CA made for the test. The services behind
 * it stay plain HTTP (one fake here), told by X-Forwarded-Proto how the client came in.
 */
import { once } from 'node:events';
import { get as httpGet } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import WebSocket from 'ws';
import { DEMO_ACCOUNTS } from '@drone-delivery/contracts';
import {
  createTestCertificates,
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  type ServiceProcess,
  type TestCertificates,
  type TestDatabase,
  type TestIssuer,
  testKafkaBrokers,
} from '@drone-delivery/testing';

interface Answer {
  status: number;
  body: string;
}

/** An HTTPS GET trusting the given CA only. */
function getOverTls(url: string, ca: string, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = token ? { authorization: `Bearer ${token}` } : undefined;
    httpsRequest(url, { ca, headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the gateway over HTTPS and WSS', () => {
  let certificates: TestCertificates;
  let issuer: TestIssuer;
  let database: TestDatabase;
  let gateway: ServiceProcess;
  let token: string;
  let delivery: Server;

  beforeAll(async () => {
    certificates = await createTestCertificates();
    issuer = await startTestIssuer();
    token = await issuer.tokenFor({ accountId: DEMO_ACCOUNTS.active.accountId });
    // Answers every call with how the gateway says the client connected.
    delivery = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ forwardedProto: request.headers['x-forwarded-proto'] }));
    });
    delivery.listen(0, '127.0.0.1');
    await once(delivery, 'listening');
    const deliveryUrl = `http://127.0.0.1:${(delivery.address() as AddressInfo).port}`;
    database = await createTestDatabase('api_gateway_https');
    gateway = await startServiceProcess({
      app: 'api-gateway',
      ca: certificates.ca.pem,
      env: {
        DATABASE_URL: database.url,
        LOG_LEVEL: 'warn',
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        ...issuer.env,
        SCHEDULER_URL: deliveryUrl,
        DELIVERY_URL: deliveryUrl,
        DELIVERY_HISTORY_URL: deliveryUrl,
        IDENTITY_URL: deliveryUrl,
        GATEWAY_TLS_CERT_FILE: certificates.cert.file,
        GATEWAY_TLS_KEY_FILE: certificates.key.file,
      },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    delivery?.closeAllConnections();
    await new Promise((resolve) => delivery?.close(resolve));
    await issuer?.stop();
    await database?.drop();
    await certificates?.remove();
  });

  it('answers over HTTPS with a certificate the pinned CA signed', async () => {
    expect(gateway.url).toMatch(/^https:/);
    const answer = await getOverTls(`${gateway.url}/health/ready`, certificates.ca.pem);
    expect(answer.status).toBe(200);
  });

  it('forwards to the services in plain HTTP, saying the client came by https', async () => {
    const answer = await getOverTls(
      `${gateway.url}/api/v1/deliveries/${uuidv7()}`,
      certificates.ca.pem,
      token,
    );
    expect(answer).toEqual({ status: 200, body: JSON.stringify({ forwardedProto: 'https' }) });
  });

  it('is refused by a client that trusts another CA', async () => {
    await expect(
      getOverTls(`${gateway.url}/health/ready`, certificates.otherCa.pem),
    ).rejects.toThrow(/unable to verify the first certificate/);
  });

  it('serves no plain HTTP on the port', async () => {
    const plainUrl = `${gateway.url.replace('https', 'http')}/health/ready`;
    await expect(
      new Promise((resolve, reject) => httpGet(plainUrl, resolve).on('error', reject)),
    ).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('upgrades /api/v1/stream to WSS and talks over it', async () => {
    const ws = new WebSocket(
      `${gateway.url.replace('https', 'wss')}/api/v1/stream`,
      ['drone-delivery.stream.v1', `bearer.${token}`],
      { ca: certificates.ca.pem },
    );
    try {
      await once(ws, 'open');
      expect(ws.protocol).toBe('drone-delivery.stream.v1');
      const answered = once(ws, 'message');
      ws.send('not json');
      const [frame] = (await answered) as [Buffer];
      expect(JSON.parse(frame.toString())).toMatchObject({ type: 'error', code: 'bad-message' });
    } finally {
      ws.terminate();
    }
  });

  it('refuses a WSS upgrade without a token, as over WS', async () => {
    const ws = new WebSocket(
      `${gateway.url.replace('https', 'wss')}/api/v1/stream`,
      ['drone-delivery.stream.v1'],
      { ca: certificates.ca.pem },
    );
    ws.on('error', () => undefined);
    const [, response] = (await once(ws, 'unexpected-response')) as [
      unknown,
      { statusCode: number },
    ];
    ws.terminate();
    expect(response.statusCode).toBe(401);
  });
});
