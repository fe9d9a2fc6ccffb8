// `npm run dlq:redrive -- <topic> [--dry-run] [--group <id>]`: sends the dead letters of <topic>
// (in <topic>.dlq) back to <topic>, once their cause is fixed. KAFKA_BROKERS names the brokers
// (default localhost:9094, the compose Kafka). Running it again sends only newer dead letters,
// those that arrived while it ran included: it commits only what it sent.
import { kafkaTls, redriveDeadLetters } from '@drone-delivery/messaging';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const topic = args.find(
    (arg) => !arg.startsWith('--') && args[args.indexOf(arg) - 1] !== '--group',
  );
  if (!topic) {
    console.error('usage: npm run dlq:redrive -- <topic> [--dry-run] [--group <consumer group>]');
    process.exit(2);
  }
  const groupIndex = args.indexOf('--group');
  await redriveDeadLetters({
    brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9094').split(','),
    // The services' TLS settings (docs/tls.md).
    tls: kafkaTls({ ...process.env, KAFKA_SSL: process.env.KAFKA_SSL === 'true' }),
    topic,
    groupId: groupIndex >= 0 ? args[groupIndex + 1] : undefined,
    dryRun: args.includes('--dry-run'),
    onProgress: (message) => console.log(message),
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
