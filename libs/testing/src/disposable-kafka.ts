import { getContainerRuntimeClient } from 'testcontainers';
import { planTestInfrastructure } from './test-infrastructure.config';
import { assertContainerRuntimeAvailable, startKafka } from './test-containers';
import { waitForKafka } from './kafka';

export interface DisposableKafka {
  brokers: string[];
  /** Stops the broker as `docker stop` would: clients see connections refused. */
  stopBroker(): Promise<void>;
  /** Starts it again on the same port, with its data. Resolves once it answers. */
  startBroker(): Promise<void>;
  /** Removes it for good. */
  remove(): Promise<void>;
}

/**
 * A Kafka of one test's own, for tests that stop and start the broker (an outage) without
 * disturbing the run's shared broker. It always needs a Docker engine, also when the run uses
 * given servers (DATABASE_URL and KAFKA_BROKERS): a broker you run yourself cannot be stopped
 * by a test.
 */
export async function startDisposableKafka(): Promise<DisposableKafka> {
  try {
    await assertContainerRuntimeAvailable();
  } catch (error) {
    throw new Error(
      `This test stops and starts a Kafka broker of its own, which needs a Docker engine.\n${
        (error as Error).message
      }`,
    );
  }
  const plan = planTestInfrastructure({ KAFKA_IMAGE: process.env.KAFKA_IMAGE });
  const image = plan.mode === 'containers' ? plan.kafkaImage : '';
  const { container, brokers } = await startKafka(image);
  await waitForKafka(brokers, 30_000);
  const client = await getContainerRuntimeClient();
  const handle = client.container.getById(container.getId());
  return {
    brokers,
    stopBroker: () => client.container.stop(handle, { timeout: 10 }),
    startBroker: async () => {
      await client.container.start(handle);
      await waitForKafka(brokers, 60_000);
    },
    remove: () => container.stop().then(() => undefined),
  };
}
