import { ConsoleLogger } from '@nestjs/common';
import { PublicApiClient, randomDeliveryRequest, runDelivery } from '@drone-delivery/demo-traffic';
import { randomUUID } from 'node:crypto';
import {
  loadTrafficGeneratorConfig,
  TRAFFIC_GENERATOR_SERVICE,
} from './config/traffic-generator.config';
import { HealthServer } from './health/health-server';
import { TrafficGenerator } from './traffic/traffic-generator';
import { waitForServices } from './traffic/wait-for-services';

const LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;

/**
 * The compose demo's traffic: a delivery every few seconds through the public API, followed to
 * Completed, with the same code as `npm run simulate` (libs/demo-traffic). Plain Node rather
 * than Nest: no database, no API of its own, only its health endpoints.
 */
async function main(): Promise<void> {
  const config = loadTrafficGeneratorConfig();
  // The services' log format: Nest's JSON console logger.
  const logger = new ConsoleLogger(TRAFFIC_GENERATOR_SERVICE, {
    json: true,
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1),
  });
  const client = new PublicApiClient({
    gatewayUrl: config.GATEWAY_URL,
    credentials: { clientId: config.API_CLIENT_ID, clientSecret: config.API_CLIENT_SECRET },
    tokenUrl: config.API_TOKEN_URL,
  });
  const generator = new TrafficGenerator(
    (index, signal, onEvent) =>
      runDelivery(client, randomDeliveryRequest(), {
        index,
        idempotencyKey: randomUUID(),
        deadline: Date.now() + config.TRAFFIC_DELIVERY_TIMEOUT_MS,
        pollIntervalMs: config.TRAFFIC_POLL_INTERVAL_MS,
        signal,
        onEvent,
      }),
    {
      intervalMs: config.TRAFFIC_INTERVAL_MS,
      maxInFlight: config.TRAFFIC_MAX_IN_FLIGHT,
      statsIntervalMs: config.TRAFFIC_STATS_INTERVAL_MS,
    },
    logger,
  );
  const health = new HealthServer();
  await health.listen(config.PORT);
  const stopping = new AbortController();
  const shutdown = (signal: string) => {
    logger.log({ message: `${signal}: stopping`, inFlight: generator.deliveriesInFlight });
    stopping.abort(new Error(signal));
    health.drain();
    void generator
      .stop()
      .then(() => health.close())
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  try {
    await waitForServices(client, logger, {
      intervalMs: 1_000,
      reportEveryMs: 10_000,
      signal: stopping.signal,
    });
  } catch (error) {
    if (stopping.signal.aborted) return;
    throw error;
  }
  logger.log({
    message: 'scheduling deliveries',
    gatewayUrl: config.GATEWAY_URL,
    clientId: config.API_CLIENT_ID,
    intervalMs: config.TRAFFIC_INTERVAL_MS,
    maxInFlight: config.TRAFFIC_MAX_IN_FLIGHT,
  });
  generator.start();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
