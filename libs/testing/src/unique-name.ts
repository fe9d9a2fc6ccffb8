import { randomBytes } from 'node:crypto';

/**
 * A name no other test file or run will use, so tests that share one Postgres server and one
 * Kafka broker never see each other's databases, topics or consumer groups.
 * Lowercase letters, digits and underscores only: valid for databases, topics and groups alike.
 */
export function uniqueName(prefix: string): string {
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return `${safePrefix}_${randomBytes(5).toString('hex')}`;
}
