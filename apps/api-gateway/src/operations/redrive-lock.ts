import { setTimeout as sleep } from 'node:timers/promises';
import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProblemException } from '@drone-delivery/service-defaults';

/** The first key of the advisory locks taken here ('dlqr'); the second is the topic's hash. */
const REDRIVE_LOCK_CLASS = 0x646c7172;
const POLL_MS = 250;
/** How long a redrive waits for one of the same topic on another gateway instance. */
const WAIT_FOR_OTHER_INSTANCE_MS = 30_000;

/**
 * One redrive of a topic at a time, across every gateway instance. Two redrives in one consumer
 * group at once would share the partitions between them: each would wait for partitions the
 * other holds (a hang), and a rebalance mid-send could send a letter twice. In this process,
 * calls queue behind each other; across instances, a Postgres advisory lock (the gateway's
 * database, already shared by its replicas for rate limits) held on one connection for the run,
 * and released by Postgres should this process die.
 */
@Injectable()
export class RedriveLock {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly dataSource: DataSource) {}

  async exclusive<T>(topic: string, work: () => Promise<T>): Promise<T> {
    const before = this.queues.get(topic) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(() => this.acrossInstances(topic, work));
    this.queues.set(topic, run);
    try {
      return await run;
    } finally {
      if (this.queues.get(topic) === run) this.queues.delete(topic);
    }
  }

  private async acrossInstances<T>(topic: string, work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const deadline = Date.now() + WAIT_FOR_OTHER_INSTANCE_MS;
      // Tried, not waited on: the rate-limit pool's statement timeout (a second) would cut a wait.
      while (!(await this.tryLock(runner.query.bind(runner), topic))) {
        if (Date.now() >= deadline) {
          throw new ProblemException(
            {
              type: 'https://drone-delivery.example/problems/redrive-running',
              title: 'A redrive of this topic is running',
              status: HttpStatus.CONFLICT,
              detail: `Another gateway instance is redriving ${topic}. Try again when it is done.`,
            },
            { 'retry-after': '10' },
          );
        }
        await sleep(POLL_MS);
      }
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [
          REDRIVE_LOCK_CLASS,
          topic,
        ]);
      }
    } finally {
      await runner.release();
    }
  }

  private async tryLock(
    query: (sql: string, parameters: unknown[]) => Promise<unknown>,
    topic: string,
  ): Promise<boolean> {
    const rows = (await query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
      REDRIVE_LOCK_CLASS,
      topic,
    ])) as { locked: boolean }[];
    return rows[0]?.locked === true;
  }
}
