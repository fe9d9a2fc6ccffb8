import { parseArgs } from 'node:util';

export interface ChaosOptions {
  ci: boolean;
  /** The load stops once this many deliveries are accepted (and every fault has happened). */
  deliveries: number;
  /** ...or after this long, whatever the count. */
  maxLoadMs: number;
  /** Faults are spread over this much of the load, from its start. */
  faultWindowMs: number;
  killsPerService: number;
  /** Clients sending deliveries at once. */
  concurrency: number;
  fleetSize: number;
  timeScale: number;
  /** How long accepted deliveries get to reach Completed or Cancelled after the load. */
  quiesceMs: number;
  /** How long the consumer of delivery events is cut off Kafka. */
  cutMs: number;
  reportPath: string;
}

export const USAGE = `usage: npm run chaos -- [options]

Starts Postgres and Kafka (Testcontainers) and every service as a supervised process, sends
deliveries through the api-gateway while it kills services, restarts Kafka and Postgres and cuts
delivery-history off Kafka, then audits what was accepted. Exit code 0 when nothing was lost,
doubled or left unfinished; 1 when the audit found a problem; 2 for bad options.

  --ci                   a run of a few minutes (200 deliveries, 2 kills per service)
  --deliveries N         stop the load after N accepted deliveries (default 2000; --ci 200)
  --max-load SECONDS     stop the load after this long anyway (default 2400; --ci 200)
  --fault-window SECONDS spread the faults over this much of the load (default 900; --ci 120)
  --kills N              SIGKILLs per service (default 5; --ci 2)
  --concurrency N        clients sending deliveries at once (default 12; --ci 8)
  --fleet N              drones (default 40; --ci 24)
  --time-scale N         simulated seconds per real second (default 240)
  --quiesce SECONDS      time for accepted deliveries to finish (default 300; --ci 120)
  --cut SECONDS          how long delivery-history is cut off Kafka (default 10; --ci 8)
  --report PATH          where the JSON report goes (default tmp/chaos-report.json)`;

export class UsageError extends Error {}

const positive = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`--${name} must be a positive whole number, not "${value}"`);
  }
  return Number(value);
};

export function parseChaosOptions(argv: string[]): ChaosOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        ci: { type: 'boolean', default: false },
        deliveries: { type: 'string' },
        'max-load': { type: 'string' },
        'fault-window': { type: 'string' },
        kills: { type: 'string' },
        concurrency: { type: 'string' },
        fleet: { type: 'string' },
        'time-scale': { type: 'string' },
        quiesce: { type: 'string' },
        cut: { type: 'string' },
        report: { type: 'string', default: 'tmp/chaos-report.json' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const ci = values.ci;
  return {
    ci,
    deliveries: positive('deliveries', values.deliveries, ci ? 200 : 2_000),
    maxLoadMs: positive('max-load', values['max-load'], ci ? 200 : 2_400) * 1_000,
    faultWindowMs: positive('fault-window', values['fault-window'], ci ? 120 : 900) * 1_000,
    killsPerService: positive('kills', values.kills, ci ? 2 : 5),
    concurrency: positive('concurrency', values.concurrency, ci ? 8 : 12),
    fleetSize: positive('fleet', values.fleet, ci ? 24 : 40),
    timeScale: positive('time-scale', values['time-scale'], 240),
    quiesceMs: positive('quiesce', values.quiesce, ci ? 120 : 300) * 1_000,
    cutMs: positive('cut', values.cut, ci ? 8 : 10) * 1_000,
    reportPath: values.report,
  };
}
