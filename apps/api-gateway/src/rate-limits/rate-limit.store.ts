import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Bucket, type BucketState } from './rate-limit-policies';

interface TakenRow {
  bucket: string;
  allowed: boolean;
  remaining: number;
  retry_after_seconds: number;
}

/**
 * The gateway's token buckets in its Postgres database, shared by every replica. One call, one
 * round trip: `take_rate_limit_tokens` (see the migration) refills, decides and takes atomically.
 */
@Injectable()
export class RateLimitStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes `cost` tokens from every bucket, or from none when any of them lacks it. */
  async take(buckets: Bucket[], cost = 1): Promise<BucketState[]> {
    const rows = await this.dataSource.query<TakenRow[]>(
      'SELECT * FROM take_rate_limit_tokens($1::text[], $2::float8[], $3::float8[], $4::float8)',
      [
        buckets.map((bucket) => bucket.key),
        buckets.map((bucket) => bucket.policy.capacity),
        buckets.map((bucket) => bucket.policy.refillPerSecond),
        cost,
      ],
    );
    const byKey = new Map(rows.map((row) => [row.bucket, row]));
    return buckets.map((bucket) => {
      const row = byKey.get(bucket.key);
      if (!row) throw new Error(`take_rate_limit_tokens returned no row for ${bucket.key}`);
      return {
        bucket,
        allowed: row.allowed,
        remaining: row.remaining,
        retryAfterSeconds: row.retry_after_seconds,
      };
    });
  }

  /** Deletes buckets untouched for `idleSeconds`: full again by then, the same as no row. */
  async pruneIdle(idleSeconds: number): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown, number]>(
      'DELETE FROM rate_limit_buckets WHERE updated_at < clock_timestamp() - make_interval(secs => $1)',
      [idleSeconds],
    );
    return deleted;
  }
}
