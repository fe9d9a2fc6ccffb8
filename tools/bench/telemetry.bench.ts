/**
 * `npm run bench:telemetry`: how fast delivery turns drone telemetry into delivery state.
 * 1. throughput: a burst of reports for 50 in-flight deliveries; events/s from the first send
 *    until every delivery shows its drone's last report (state committed, offsets behind it);
 * 2. latency: single reports at a steady rate; time from the send to the new location being
 *    visible on the public status API, p50/p99;
 * 3. a bare kafkajs consumer reading the same burst from the same broker (JSON.parse only).
 *
 *   DATABASE_URL=postgres://postgres:postgres@localhost:5433/postgres KAFKA_BROKERS=localhost:9094 \
 *     npm run bench:telemetry
 * BENCH_REPORTS (default 20000) and BENCH_LATENCY_SAMPLES (default 200) tune it;
 * OTEL_SDK_DISABLED=true runs the service without tracing, to see what tracing costs.
 */
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  DRONE_TELEMETRY_REPORTED,
  type DroneTelemetryEvent,
  type PutDeliveryRequest,
  TOPICS,
} from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import { createIdempotentProducer, ensureTopicsWithDeadLetters } from '@drone-delivery/messaging';
import {
  createTestDatabase,
  startServiceProcess,
  startTestIssuer,
  uniqueGroupId,
  waitFor,
  serviceTokenEnv,
  testSigningKey,
} from '@drone-delivery/testing';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 20_000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 200);
const DELIVERIES = 50;
const TOPIC = TOPICS.droneTelemetry.name;

interface Flight {
  deliveryId: string;
  droneId: string;
  sequence: number;
  time: number;
}

function report(flight: Flight, lat: number): DroneTelemetryEvent {
  flight.sequence += 1;
  flight.time += 1;
  return {
    specversion: '1.0',
    id: uuidv7(),
    source: '/drone-management',
    type: DRONE_TELEMETRY_REPORTED,
    subject: flight.droneId,
    time: new Date(flight.time).toISOString(),
    datacontenttype: 'application/json',
    sequence: flight.sequence,
    data: {
      droneId: flight.droneId,
      deliveryId: flight.deliveryId,
      state: 'flying-to-pickup',
      location: { lat, lng: -122.33 },
      batteryPercent: 90,
    },
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const brokersEnv = process.env.KAFKA_BROKERS;
  if (!process.env.DATABASE_URL || !brokersEnv) {
    console.error(
      'Set DATABASE_URL and KAFKA_BROKERS, e.g. with `docker compose up -d postgres kafka`:\n' +
        '  DATABASE_URL=postgres://postgres:postgres@localhost:5433/postgres KAFKA_BROKERS=localhost:9094 npm run bench:telemetry',
    );
    process.exit(2);
  }
  const brokers = brokersEnv.split(',');
  await ensureTopicsWithDeadLetters(brokers, [
    { topic: TOPIC, numPartitions: TOPICS.droneTelemetry.partitions },
  ]);
  const kafka = new Kafka({ clientId: 'bench-telemetry', brokers, logLevel: logLevel.NOTHING });
  const database = await createTestDatabase('bench_delivery');
  const producer = createIdempotentProducer({ clientId: 'bench-telemetry', brokers });
  await producer.connect();
  const groupId = uniqueGroupId('bench-delivery');
  process.stderr.write('starting delivery\n');
  // Tokens as identity issues them, for the status reads (the public route checks them).
  const issuer = await startTestIssuer();
  const delivery = await startServiceProcess({
    app: 'delivery',
    env: {
      ...issuer.env,
      DATABASE_URL: database.url,
      ...serviceTokenEnv(),
      KAFKA_BROKERS: brokersEnv,
      KAFKA_GROUP_ID: groupId,
      LOG_LEVEL: 'warn',
      // All the bench's deliveries are one account's, in flight at once.
      DELIVERY_QUOTA_IN_FLIGHT: String(DELIVERIES * 10),
      // OTEL_SDK_DISABLED=true npm run bench:telemetry: the same run without tracing's cost.
      ...(process.env.OTEL_SDK_DISABLED && { OTEL_SDK_DISABLED: process.env.OTEL_SDK_DISABLED }),
    },
  });
  const db = new Client({ connectionString: database.url });
  await db.connect();
  try {
    // Deliveries in flight, each with its own drone.
    const tokens = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });
    const operatorBearer = await issuer.bearer({ operator: true, expiresInSeconds: 3_600 });
    const flights: Flight[] = [];
    for (let index = 0; index < DELIVERIES; index++) {
      const flight = { deliveryId: uuidv7(), droneId: uuidv7(), sequence: 0, time: Date.now() };
      const body: PutDeliveryRequest = {
        accountId: '11111111-1111-4111-8111-111111111111',
        packageId: uuidv7(),
        droneId: flight.droneId,
        pickup: { lat: 47.61, lng: -122.33 },
        dropoff: { lat: 47.65, lng: -122.3 },
        expedited: false,
        confirmationRequired: 'none',
        pickupEta: new Date(Date.now() + 600_000).toISOString(),
        dropoffEta: new Date(Date.now() + 1_200_000).toISOString(),
      };
      const response = await fetch(`${delivery.url}/internal/v1/deliveries/${flight.deliveryId}`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await tokens.tokenFor('delivery')}`,
        },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`PUT delivery: ${response.status}`);
      flights.push(flight);
    }

    // Let the new consumer group read whatever the topic already held, so it does not count.
    const admin = kafka.admin();
    await admin.connect();
    const endOffsets = async () =>
      Object.fromEntries(
        (await admin.fetchTopicOffsets(TOPIC)).map((p) => [p.partition, Number(p.offset)]),
      );
    const caughtUp = async () => {
      const ends = await endOffsets();
      // Nest's Kafka transport appends `-server` to the group id it is given.
      const [committed] = await admin.fetchOffsets({
        groupId: `${groupId}-server`,
        topics: [TOPIC],
      });
      return committed.partitions.every(
        (p) => Number(p.offset) >= ends[p.partition] || ends[p.partition] === 0,
      );
    };
    process.stderr.write('waiting for delivery to read the existing telemetry backlog\n');
    await waitFor(caughtUp, { timeoutMs: 300_000, intervalMs: 500, description: 'backlog read' });
    const burstStart = await endOffsets();

    // 1. Throughput.
    process.stderr.write(`throughput: ${REPORTS} reports for ${DELIVERIES} deliveries\n`);
    const perFlight = Math.ceil(REPORTS / DELIVERIES);
    const started = performance.now();
    for (let batch = 0; batch < perFlight; batch += 50) {
      const messages = [];
      for (let step = batch; step < Math.min(batch + 50, perFlight); step++) {
        for (const flight of flights) {
          const event = report(flight, 47.61 + step * 1e-6);
          messages.push({ key: flight.droneId, value: JSON.stringify(event) });
        }
      }
      await producer.send({ topic: TOPIC, acks: -1, messages });
    }
    const sent = performance.now();
    await waitFor(
      async () => {
        const { rows } = await db.query<{ done: string }>(
          'SELECT count(*) AS done FROM deliveries WHERE last_report_sequence = $1',
          [perFlight],
        );
        return Number(rows[0].done) === DELIVERIES;
      },
      { timeoutMs: 600_000, intervalMs: 100, description: 'every report applied' },
    );
    const applied = performance.now();
    const total = perFlight * DELIVERIES;

    // 3. The bare consumer over the same burst.
    const bare = kafka.consumer({ groupId: uniqueGroupId('bench-bare') });
    await bare.connect();
    await bare.subscribe({ topic: TOPIC });
    let bareCount = 0;
    let bareStarted = 0;
    const ours = new Set(flights.map((flight) => flight.droneId));
    await bare.run({
      eachMessage: ({ message }) => {
        if (bareStarted === 0) bareStarted = performance.now();
        const event = JSON.parse(message.value!.toString()) as DroneTelemetryEvent;
        if (ours.has(event.data.droneId)) bareCount++;
        return Promise.resolve();
      },
    });
    for (const [partition, offset] of Object.entries(burstStart)) {
      bare.seek({ topic: TOPIC, partition: Number(partition), offset: String(offset) });
    }
    await waitFor(() => bareCount >= total, {
      timeoutMs: 300_000,
      description: 'the bare consumer read the burst',
    });
    const bareDone = performance.now();
    await bare.disconnect();

    // 2. Latency, one report at a time.
    process.stderr.write(`latency: ${LATENCY_SAMPLES} single reports\n`);
    const latencies: number[] = [];
    for (let sample = 0; sample < LATENCY_SAMPLES; sample++) {
      const flight = flights[sample % flights.length];
      const lat = 47.62 + sample * 1e-5;
      const event = report(flight, lat);
      const sentAt = performance.now();
      await producer.send({
        topic: TOPIC,
        acks: -1,
        messages: [{ key: flight.droneId, value: JSON.stringify(event) }],
      });
      await waitFor(
        async () => {
          const response = await fetch(`${delivery.url}/api/v1/deliveries/${flight.deliveryId}`, {
            headers: { authorization: operatorBearer },
          });
          const status = (await response.json()) as { lastKnownLocation: { lat: number } | null };
          return status.lastKnownLocation?.lat === lat;
        },
        { timeoutMs: 30_000, intervalMs: 2, description: 'the report visible' },
      );
      latencies.push(performance.now() - sentAt);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    latencies.sort((a, b) => a - b);
    await admin.disconnect();

    const deliveryRate = total / ((applied - started) / 1000);
    const bareRate = total / ((bareDone - bareStarted) / 1000);
    console.log(`\ndrone.telemetry.v1 → delivery, ${total} reports, ${DELIVERIES} deliveries\n`);
    console.table([
      {
        measure: 'delivery: reports applied per second (burst)',
        value: Math.round(deliveryRate),
      },
      { measure: 'producing the burst took (ms)', value: Math.round(sent - started) },
      { measure: 'bare kafkajs consumer: reports read per second', value: Math.round(bareRate) },
      { measure: 'delivery / bare', value: `${((deliveryRate / bareRate) * 100).toFixed(1)}%` },
      {
        measure: 'produced → visible in status API, p50 (ms)',
        value: percentile(latencies, 50).toFixed(1),
      },
      {
        measure: 'produced → visible in status API, p99 (ms)',
        value: percentile(latencies, 99).toFixed(1),
      },
    ]);
  } finally {
    await db.end();
    await producer.disconnect();
    await delivery.stop();
    await database.drop();
    await issuer.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
