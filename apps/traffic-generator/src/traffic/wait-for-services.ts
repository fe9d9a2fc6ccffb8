import { type PublicApiClient, sleep } from '@drone-delivery/demo-traffic';
import { type TrafficLogger } from './traffic-generator';

export interface WaitOptions {
  /** Pause between two checks. */
  intervalMs: number;
  /** Say what it is waiting for at most this often. */
  reportEveryMs: number;
  signal?: AbortSignal;
}

/**
 * Resolves once the gateway is ready, a token can be had and the scheduler, delivery and
 * delivery-history all answer through it (PublicApiClient.unreachableServices), so the
 * first delivery goes out the moment the system can take it rather than failing before. In
 * compose the generator starts with the scheduler (not after its healthcheck), which makes the
 * demo's first delivery seconds earlier.
 */
export async function waitForServices(
  client: PublicApiClient,
  logger: TrafficLogger,
  options: WaitOptions,
): Promise<void> {
  let reportedAt = 0;
  for (;;) {
    const notReady = await client.unreachableServices('ready');
    if (notReady.length === 0) return;
    if (Date.now() - reportedAt >= options.reportEveryMs) {
      reportedAt = Date.now();
      logger.log({
        message: 'waiting for the public APIs',
        notReady: notReady.map((problem) => problem.message),
      });
    }
    await sleep(options.intervalMs, options.signal);
  }
}
