import { parseArgs } from 'node:util';
import { type PublicApiUrls } from '@drone-delivery/demo-traffic';

export interface SimulateOptions extends PublicApiUrls {
  deliveries: number;
  concurrency: number;
  timeoutMs: number;
  pollIntervalMs: number;
}

export const USAGE = `usage: npm run simulate -- [options]

Schedules deliveries through the public API (the compose stack by default), follows each one's
history until it is Completed, and prints a summary. Exit code 0 when every delivery completed,
1 when any failed or timed out, 2 for bad options or an unreachable API.

  --deliveries N        how many deliveries (default 50)
  --concurrency N       deliveries in flight at once (default 10)
  --timeout SECONDS     give up on what is not Completed by then (default 600)
  --poll-interval MS    pause between two reads of a delivery's history (default 1000)
  --scheduler-url URL   default $SCHEDULER_URL or http://localhost:\${SCHEDULER_PORT:-3001}
  --delivery-url URL    default $DELIVERY_URL or http://localhost:\${DELIVERY_PORT:-3005}
  --history-url URL     default $DELIVERY_HISTORY_URL or http://localhost:\${DELIVERY_HISTORY_PORT:-3006}`;

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

const positiveInteger = (name: string, value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`--${name} must be a positive whole number, not "${value}"`);
  }
  return Number(value);
};

const httpUrl = (name: string, value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${name} must be a URL such as http://localhost:3001, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--${name} must be an http(s) URL, not "${value}"`);
  }
  return value;
};

/** The command line (and environment) as options; UsageError when something is off. */
export function parseSimulateOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): SimulateOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        deliveries: { type: 'string', default: '50' },
        concurrency: { type: 'string', default: '10' },
        timeout: { type: 'string', default: '600' },
        'poll-interval': { type: 'string', default: '1000' },
        'scheduler-url': {
          type: 'string',
          default: env.SCHEDULER_URL ?? `http://localhost:${env.SCHEDULER_PORT ?? 3001}`,
        },
        'delivery-url': {
          type: 'string',
          default: env.DELIVERY_URL ?? `http://localhost:${env.DELIVERY_PORT ?? 3005}`,
        },
        'history-url': {
          type: 'string',
          default:
            env.DELIVERY_HISTORY_URL ?? `http://localhost:${env.DELIVERY_HISTORY_PORT ?? 3006}`,
        },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  return {
    deliveries: positiveInteger('deliveries', values.deliveries),
    concurrency: positiveInteger('concurrency', values.concurrency),
    timeoutMs: positiveInteger('timeout', values.timeout) * 1_000,
    pollIntervalMs: positiveInteger('poll-interval', values['poll-interval']),
    schedulerUrl: httpUrl('scheduler-url', values['scheduler-url']),
    deliveryUrl: httpUrl('delivery-url', values['delivery-url']),
    historyUrl: httpUrl('history-url', values['history-url']),
  };
}
