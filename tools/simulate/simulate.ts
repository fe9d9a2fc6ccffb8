// `npm run simulate -- --deliveries 200 [--concurrency N] [--gateway-url …] [--client-id …]`:
// schedules deliveries through the public API only (the api-gateway, with a client credentials
// token), follows each one's history until it is Completed, and prints what happened: counts, throughput, the
// slowest deliveries and why failures failed. The scheduling and following code is the one the
// compose traffic generator runs (libs/demo-traffic); only the progress bar lives here.
import {
  formatRunSummary,
  PublicApiClient,
  randomDeliveryRequest,
  runDeliveries,
  sleep,
  summarizeRun,
} from '@drone-delivery/demo-traffic';
import { parseSimulateOptions, UsageError, USAGE } from './simulate-options';
import { startProgress } from './simulate-progress';

/** What still keeps the API from being used after `waitMs` (empty: ready), saying so every 10 s. */
async function waitUntilReady(client: PublicApiClient, waitMs: number) {
  const giveUpAt = Date.now() + waitMs;
  let reportAt = Date.now() + 10_000;
  for (;;) {
    const unreachable = await client.unreachableServices('ready');
    if (unreachable.length === 0 || Date.now() >= giveUpAt) return unreachable;
    if (Date.now() >= reportAt) {
      reportAt = Date.now() + 10_000;
      console.log(
        `waiting for the API: ${unreachable.map((problem) => problem.message).join('; ')}`,
      );
    }
    await sleep(1_000);
  }
}

async function main(): Promise<number> {
  const options = parseSimulateOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const client = new PublicApiClient(options);
  const unreachable = await waitUntilReady(client, options.waitMs);
  if (unreachable.length > 0) {
    for (const problem of unreachable) console.error(problem.message);
    console.error(
      '\nIs the stack up? Start it with `docker compose up --build` (or `docker-compose up --build`),' +
        ' wait until `docker compose ps` shows the services healthy, or pass the right --gateway-url' +
        ' and --client-id / --client-secret.',
    );
    return 2;
  }

  console.log(
    `Scheduling ${options.deliveries} ${options.deliveries === 1 ? 'delivery' : 'deliveries'}, ` +
      `${options.concurrency} at a time, through ${options.gatewayUrl} as ` +
      `${options.credentials.clientId} ` +
      `(timeout ${options.timeoutMs / 1_000} s)`,
  );
  const interrupted = new AbortController();
  process.once('SIGINT', () => interrupted.abort(new Error('interrupted')));
  const progress = startProgress(options.deliveries);
  const started = Date.now();
  try {
    const outcomes = await runDeliveries({
      client,
      count: options.deliveries,
      concurrency: options.concurrency,
      deadline: started + options.timeoutMs,
      pollIntervalMs: options.pollIntervalMs,
      newRequest: () => randomDeliveryRequest(),
      onEvent: (event) => progress.onEvent(event),
      signal: interrupted.signal,
    });
    progress.stop();
    const summary = summarizeRun(outcomes, Date.now() - started);
    console.log(`\n${formatRunSummary(summary)}`);
    return summary.failed + summary.timedOut > 0 ? 1 : 0;
  } catch (error) {
    progress.stop();
    if (!interrupted.signal.aborted) throw error;
    // Ctrl-C: what finished so far, and how many were cut short.
    const finished = progress.tally.finished;
    console.log(`\n${formatRunSummary(summarizeRun(finished, Date.now() - started))}`);
    console.log(`interrupted: ${options.deliveries - finished.length} not finished`);
    return 130;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
