/**
 * `npm run bench:stream`: how many live-stream clients × events per second one gateway holds.
 * The gateway runs as a process on the given Kafka, in front of a small fake of delivery and
 * delivery-history (the stream only asks them who owns a delivery and what its history is);
 * BENCH_CLIENTS WebSocket clients each follow BENCH_DELIVERIES_PER_CLIENT deliveries; events and
 * telemetry for them are produced at BENCH_EVENTS_PER_SECOND for BENCH_SECONDS. Prints events
 * delivered per second, produced → received latency (p50/p99), positions received, and the
 * gateway's memory (RSS) before, during and after, with one client that never reads (its
 * socket paused): latest-only positions and the event limit keep it from growing the gateway.
 *
 *   KAFKA_BROKERS=localhost:9094 DATABASE_URL=postgres://postgres:postgres@localhost:5433/postgres \
 *     npm run bench:stream
 */
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import WebSocket from 'ws';
import {
  DELIVERY_EVENT_TYPES,
  DEMO_ACCOUNTS,
  DRONE_TELEMETRY_REPORTED,
  TOPICS,
} from '@drone-delivery/contracts';
import { metricSampleValue } from '@drone-delivery/observability';
import { createTestDatabase, startServiceProcess, startTestIssuer } from '@drone-delivery/testing';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const PER_CLIENT = Number(process.env.BENCH_DELIVERIES_PER_CLIENT ?? 2);
const EVENTS_PER_SECOND = Number(process.env.BENCH_EVENTS_PER_SECOND ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ACCOUNT = DEMO_ACCOUNTS.active.accountId;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function main(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers || !process.env.DATABASE_URL) {
    console.error(
      'Set KAFKA_BROKERS and DATABASE_URL (see the header of tools/bench/stream.bench.ts).',
    );
    process.exit(2);
  }
  const issuer = await startTestIssuer();
  const token = await issuer.tokenFor({ accountId: ACCOUNT, expiresInSeconds: 3_600 });
  // delivery and delivery-history as the stream sees them: every delivery is the caller's.
  const fake = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(request.url?.endsWith('/history') ? '[]' : '{"stage":"Created"}');
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => fake.once('listening', resolve));
  const fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  const database = await createTestDatabase('bench_stream_gateway');
  process.stderr.write('starting api-gateway …\n');
  const gateway = await startServiceProcess({
    app: 'api-gateway',
    readyTimeoutMs: 90_000,
    env: {
      DATABASE_URL: database.url,
      KAFKA_BROKERS: brokers,
      LOG_LEVEL: 'warn',
      OTEL_SDK_DISABLED: 'true',
      ...issuer.env,
      SCHEDULER_URL: fakeUrl,
      DELIVERY_URL: fakeUrl,
      DELIVERY_HISTORY_URL: fakeUrl,
      IDENTITY_URL: fakeUrl,
      STREAM_MAX_CONNECTIONS: String(CLIENTS + 10),
    },
  });
  const rss = async () =>
    metricSampleValue(
      await (await fetch(`${gateway.url}/metrics`)).text(),
      'process_resident_memory_bytes',
      {},
    );
  const producer = new Kafka({
    clientId: 'bench-stream',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();

  const deliveries = Array.from({ length: CLIENTS * PER_CLIENT }, () => uuidv7());
  const sequences = new Map(deliveries.map((id) => [id, 0]));
  const latencies: number[] = [];
  let events = 0;
  let positions = 0;
  const url = `${gateway.url.replace('http', 'ws')}/api/v1/stream`;
  process.stderr.write(`connecting ${CLIENTS} clients (+1 that never reads) …\n`);
  const sockets: WebSocket[] = [];
  const open = (ids: string[], onFrame?: (frame: { type: string; occurredAt?: string }) => void) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, ['drone-delivery.stream.v1', `bearer.${token}`]);
      ws.once('open', () => {
        for (const deliveryId of ids)
          ws.send(JSON.stringify({ type: 'subscribe', deliveryId, afterSequence: 0 }));
        resolve(ws);
      });
      ws.once('error', reject);
      if (onFrame)
        ws.on('message', (data: Buffer) => onFrame(JSON.parse(data.toString()) as never));
    });
  for (let index = 0; index < CLIENTS; index++) {
    const ids = deliveries.slice(index * PER_CLIENT, (index + 1) * PER_CLIENT);
    sockets.push(
      await open(ids, (frame) => {
        if (frame.type === 'delivery-event') {
          events += 1;
          // occurredAt is the event's CloudEvents time: when the bench produced it.
          latencies.push(Date.now() - Date.parse(frame.occurredAt ?? ''));
        } else if (frame.type === 'position') positions += 1;
      }),
    );
  }
  // The slow client: follows every delivery, and its socket is never read.
  const slow = await open(deliveries.slice(0, 100));
  (slow as unknown as { _socket: { pause(): void } })._socket.pause();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const rssBefore = await rss();

  process.stderr.write(
    `producing ${EVENTS_PER_SECOND} events/s and as many positions for ${SECONDS} s …\n`,
  );
  const started = Date.now();
  let produced = 0;
  let rssPeak = 0;
  for (let second = 0; second < SECONDS; second++) {
    const tickStart = Date.now();
    const batch = Array.from(
      { length: EVENTS_PER_SECOND },
      () => deliveries[Math.floor(Math.random() * deliveries.length)],
    );
    const now = Date.now();
    const messages = batch.map((deliveryId) => {
      const sequence = (sequences.get(deliveryId) ?? 0) + 1;
      sequences.set(deliveryId, sequence);
      return {
        key: deliveryId,
        value: JSON.stringify({
          specversion: '1.0',
          id: uuidv7(),
          source: '/delivery',
          type:
            sequence === 1
              ? DELIVERY_EVENT_TYPES.DeliveryCreated
              : DELIVERY_EVENT_TYPES.DeliveryInTransit,
          subject: deliveryId,
          time: new Date(now).toISOString(),
          datacontenttype: 'application/json',
          sequence,
          data:
            sequence === 1
              ? {
                  deliveryId,
                  accountId: ACCOUNT,
                  packageId: uuidv7(),
                  droneId: deliveryId,
                  pickup: { lat: 47.6, lng: -122.3 },
                  dropoff: { lat: 47.61, lng: -122.31 },
                  expedited: false,
                  confirmationRequired: 'none',
                  pickupEta: new Date(now).toISOString(),
                  dropoffEta: new Date(now).toISOString(),
                }
              : { deliveryId, droneId: deliveryId, location: { lat: 47.6, lng: -122.3 } },
        }),
      };
    });
    const reports = batch.map((deliveryId) => ({
      key: deliveryId,
      value: JSON.stringify({
        specversion: '1.0',
        id: uuidv7(),
        source: '/drone-management',
        type: DRONE_TELEMETRY_REPORTED,
        subject: deliveryId,
        time: new Date(now).toISOString(),
        datacontenttype: 'application/json',
        sequence: 1,
        data: {
          droneId: deliveryId,
          deliveryId,
          state: 'flying-to-dropoff',
          location: { lat: 47.6, lng: -122.3 },
          batteryPercent: 80,
        },
      }),
    }));
    await producer.sendBatch({
      acks: -1,
      topicMessages: [
        { topic: TOPICS.deliveryEvents.name, messages },
        { topic: TOPICS.droneTelemetry.name, messages: reports },
      ],
    });
    produced += batch.length;
    rssPeak = Math.max(rssPeak, (await rss()) ?? 0);
    const wait = 1_000 - (Date.now() - tickStart);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  // Let the last ones arrive.
  const deadline = Date.now() + 10_000;
  while (events < produced && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const elapsed = (Date.now() - started) / 1_000;
  const rssAfter = await rss();

  console.log(
    `\n${CLIENTS} clients × ${PER_CLIENT} deliveries each, ${EVENTS_PER_SECOND} events/s + ${EVENTS_PER_SECOND} positions/s for ${SECONDS} s, one gateway\n`,
  );
  console.table([
    { measure: 'events produced', value: produced },
    { measure: 'events received (each by its one subscriber)', value: events },
    { measure: 'events received per second', value: Math.round(events / elapsed) },
    { measure: 'produced → received, p50 (ms)', value: percentile(latencies, 50) },
    { measure: 'produced → received, p99 (ms)', value: percentile(latencies, 99) },
    { measure: 'positions received (latest only)', value: positions },
    { measure: 'gateway RSS before (MB)', value: Math.round((rssBefore ?? 0) / 1e6) },
    { measure: 'gateway RSS peak during (MB)', value: Math.round(rssPeak / 1e6) },
    { measure: 'gateway RSS after (MB)', value: Math.round((rssAfter ?? 0) / 1e6) },
    { measure: 'slow client still connected', value: slow.readyState === WebSocket.OPEN },
  ]);

  for (const ws of [...sockets, slow]) ws.terminate();
  await producer.disconnect();
  await gateway.stop();
  await database.drop();
  await issuer.stop();
  fake.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
