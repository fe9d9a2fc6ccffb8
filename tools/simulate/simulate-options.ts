import { parseArgs } from 'node:util';
import { DEMO_CLIENTS } from '@drone-delivery/contracts';
import { type PublicApiClientOptions } from '@drone-delivery/demo-traffic';

export interface SimulateOptions extends PublicApiClientOptions {
  deliveries: number;
  concurrency: number;
  timeoutMs: number;
  pollIntervalMs: number;
  /** How long to wait for the API to be ready before giving up; 0: check once. */
  waitMs: number;
}

export const USAGE = `usage: npm run simulate -- [options]

Schedules deliveries through the public API (the compose stack by default), follows each one's
history until it is Completed, and prints a summary. Exit code 0 when every delivery completed,
1 when any failed or timed out, 2 for bad options or an unreachable API.

  --deliveries N        how many deliveries (default 50)
  --concurrency N       deliveries in flight at once (default 10)
  --timeout SECONDS     give up on what is not Completed by then (default 600)
  --poll-interval MS    pause between two reads of a delivery's history (default 1000)
  --wait SECONDS        wait this long for the API to be ready (default 0: check once)
  --gateway-url URL     the api-gateway; default $GATEWAY_URL or http://localhost:\${GATEWAY_PORT:-8080}
  --client-id ID        the OAuth client to act as; default $API_CLIENT_ID or ${DEMO_CLIENTS.active.clientId}
                        (the demo's Contoso Pharmacy)
  --client-secret S     its secret; default $API_CLIENT_SECRET or the demo client's`;

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

const positiveInteger = (name: string, value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`--${name} must be a positive whole number, not "${value}"`);
  }
  return Number(value);
};

const wholeNumber = (name: string, value: string): number => {
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`--${name} must be a whole number of seconds, not "${value}"`);
  }
  return Number(value);
};

const httpUrl = (name: string, value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${name} must be a URL such as http://localhost:8080, not "${value}"`);
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
        wait: { type: 'string', default: '0' },
        'gateway-url': {
          type: 'string',
          default: env.GATEWAY_URL ?? `http://localhost:${env.GATEWAY_PORT ?? 8080}`,
        },
        'client-id': { type: 'string', default: env.API_CLIENT_ID ?? DEMO_CLIENTS.active.clientId },
        'client-secret': {
          type: 'string',
          default: env.API_CLIENT_SECRET ?? DEMO_CLIENTS.active.clientSecret,
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
    waitMs: wholeNumber('wait', values.wait) * 1_000,
    gatewayUrl: httpUrl('gateway-url', values['gateway-url']),
    credentials: { clientId: values['client-id'], clientSecret: values['client-secret'] },
  };
}
