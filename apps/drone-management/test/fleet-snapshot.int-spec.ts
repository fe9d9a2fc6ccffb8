/**
 * Publish/async responses against real Kafka: three drone-management processes on one database,
 * a fleet-snapshot request published as the gateway publishes it, and the answers read back
 * from a reply topic of this test's own (one partition, so each instance's answers arrive in
 * the order it sent them, and "no answer to X" is proven by the answer to a later request).
 */
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import {
  FLEET_SNAPSHOT_REQUESTED,
  type FleetSnapshotAnswer,
  type FlownDrone,
  type FleetSnapshotRequest,
  type GeoPoint,
  parseFleetSnapshotAnswer,
  TOPICS,
} from '@drone-delivery/contracts';
import { deadLetterTopic, ensureTopics } from '@drone-delivery/messaging';
import {
  createTestDatabase,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
  testKafkaBrokers,
  uniqueGroupId,
  waitFor,
  serviceTokenEnv,
} from '@drone-delivery/testing';
import { destinationPoint } from '../src/geo/geo';
import { internalApi, schedulerToken } from './internal-api';

const INSTANCES = 3;
const CENTER: GeoPoint = { lat: -40 + Math.random() * 10, lng: 100 + Math.random() * 20 };

describe('fleet snapshot (publish/async responses)', () => {
  const brokers = testKafkaBrokers();
  const kafka = new Kafka({ clientId: 'fleet-snapshot-spec', brokers, logLevel: logLevel.NOTHING });
  const replyTopic = `${TOPICS.fleetSnapshotReplies.name}.spec-${uuidv7().slice(-12)}`;
  const answers: FleetSnapshotAnswer[] = [];
  const deadLetters: string[] = [];
  let database: TestDatabase;
  const services: ServiceProcess[] = [];
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    database = await createTestDatabase('drone_management_fleet_snapshot');
    const env = (index: number) => ({
      DATABASE_URL: database.url,
      ...serviceTokenEnv(),
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: brokers.join(','),
      INSTANCE_ID: `spec-instance-${index}`,
      SIMULATION_TIME_SCALE: '5',
      SIMULATOR_TICK_MS: '100',
      TELEMETRY_INTERVAL_MS: '100',
      SERVICE_AREA_CENTER_LAT: String(CENTER.lat),
      SERVICE_AREA_CENTER_LNG: String(CENTER.lng),
      FLEET_SIZE: '4',
      DRONE_MAX_RANGE_KM: '500',
    });
    // The first one migrates and seeds; the others join it.
    services.push(await startServiceProcess({ app: 'drone-management', env: env(1) }));
    services.push(
      ...(await Promise.all(
        [2, 3].map((index) => startServiceProcess({ app: 'drone-management', env: env(index) })),
      )),
    );
    await ensureTopics(brokers, [{ topic: replyTopic, numPartitions: 1 }]);
    producer = kafka.producer();
    await producer.connect();
    consumer = kafka.consumer({ groupId: uniqueGroupId('fleet-snapshot-spec') });
    await consumer.connect();
    await consumer.subscribe({
      topics: [replyTopic, deadLetterTopic(TOPICS.fleetSnapshotRequests.name)],
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: ({ topic, message }) => {
        if (topic === replyTopic) answers.push(parseFleetSnapshotAnswer(message.value));
        else deadLetters.push(message.key?.toString() ?? '');
        return Promise.resolve();
      },
    });
  });

  afterAll(async () => {
    await Promise.allSettled(services.map((service) => service.stop()));
    await Promise.allSettled([consumer?.disconnect(), producer?.disconnect()]);
    await database?.drop();
  });

  const request = (data: Partial<FleetSnapshotRequest['data']> = {}): FleetSnapshotRequest => {
    const id = uuidv7();
    return {
      specversion: '1.0',
      id,
      source: '/fleet-snapshot-spec',
      type: FLEET_SNAPSHOT_REQUESTED,
      subject: id,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      sequence: 1,
      data: { replyTopic, answerBy: new Date(Date.now() + 30_000).toISOString(), ...data },
    };
  };
  const publish = (...requests: FleetSnapshotRequest[]) =>
    producer.send({
      topic: TOPICS.fleetSnapshotRequests.name,
      acks: -1,
      messages: requests.map((each) => ({ key: each.id, value: JSON.stringify(each) })),
    });
  const answersTo = (requestId: string) => answers.filter((answer) => answer.subject === requestId);
  const allAnswered = (requestId: string) =>
    waitFor(
      () =>
        new Set(answersTo(requestId).map((answer) => answer.data.instanceId)).size === INSTANCES,
      {
        timeoutMs: 30_000,
        description: `answers of all ${INSTANCES} instances to ${requestId}`,
      },
    );

  it('is answered by every instance, naming itself, with the drones it flies', async () => {
    const call = internalApi(services[0].url, await schedulerToken());
    const deliveryId = uuidv7();
    const assigned = await call<{ droneId: string }>(
      'PUT',
      `/internal/v1/assignments/${deliveryId}`,
      {
        pickup: destinationPoint(CENTER, 90, 3),
        dropoff: destinationPoint(CENTER, 180, 3),
        packageWeightKg: 1,
      },
    );
    expect(assigned.status).toBe(201);

    // Asked until the drone's newest report, over every instance's answer, is of this flight
    // (the simulator picks it up on its next tick). Every drone is in some answer from the
    // start, idle, and two instances may both name one for a while: the newest report wins, as
    // the gateway merges them.
    let newest: { drone: FlownDrone; instanceId: string } | undefined;
    await waitFor(
      async () => {
        const asked = request();
        await publish(asked);
        await allAnswered(asked.id);
        newest = answersTo(asked.id)
          .flatMap((answer) =>
            answer.data.drones
              .filter((drone) => drone.droneId === assigned.body.droneId)
              .map((drone) => ({ drone, instanceId: answer.data.instanceId })),
          )
          .sort((a, b) => Date.parse(b.drone.reportedAt) - Date.parse(a.drone.reportedAt))[0];
        return newest?.drone.deliveryId === deliveryId;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 200,
        description: 'the assigned drone flying in a snapshot',
      },
    );

    expect(newest?.drone).toMatchObject({
      reportedAt: expect.any(String) as unknown,
      deliveryId,
      state: expect.stringMatching(/^(flying-to-pickup|loading|flying-to-dropoff)$/) as unknown,
    });
    expect(newest?.instanceId).toMatch(/^spec-instance-[123]$/);
  });

  it('is skipped by every instance once its answerBy has passed', async () => {
    const late = request({ answerBy: new Date(Date.now() - 1_000).toISOString() });
    const marker = request();

    await publish(late, marker);
    await allAnswered(marker.id);

    // One request partition and one reply partition: an answer to `late` would precede these.
    expect(answersTo(late.id)).toEqual([]);
  });

  it('dead-letters a request naming a reply topic outside fleet.snapshot-replies.v1', async () => {
    const hostile = request({ replyTopic: TOPICS.deliveryEvents.name });
    const marker = request();

    await publish(hostile, marker);
    await allAnswered(marker.id);
    await waitFor(() => deadLetters.filter((key) => key === hostile.id).length === INSTANCES, {
      timeoutMs: 30_000,
      description: 'the hostile request dead-lettered by every instance',
    });

    expect(answersTo(hostile.id)).toEqual([]);
  });
});
