import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import {
  type KafkaContext,
  type KafkaOptions,
  type ReadPacket,
  ServerKafka,
} from '@nestjs/microservices';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, handleWhen, type IBackoff, retry } from 'cockatiel';
import { type Consumer } from 'kafkajs';
import { type Observable, throwError } from 'rxjs';
import { consumerMetrics, type ConsumerMetrics, secondsSince } from '@drone-delivery/observability';
import { deadLetterHeaders, deadLetterTopic, fitDeadLetter } from './dead-letter';
import { isDependencyOutage } from '@drone-delivery/service-defaults';
import { InvalidMessageError } from './invalid-message.error';
import { isBrokerUnreachable, isKafkaErrorOfType } from '../kafka-errors';

export interface ConsumerReliability {
  /** Attempts per message, the first included, before it is dead-lettered. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /**
   * Tells a dependency being down from a failure of the message itself. A message that fails
   * with such an error is kept and retried, with a backoff from `outageInitialBackoffMs` up to
   * `outageMaxBackoffMs`, until the dependency is back; these tries do not count as attempts.
   * A service with dependencies of its own extends it:
   *   `(error) => isDependencyOutage(error) || error instanceof WarehouseUnavailableError`
   */
  isDependencyOutage: (error: unknown) => boolean;
  outageInitialBackoffMs: number;
  outageMaxBackoffMs: number;
}

/**
 * Subscribe attempts at start-up (about 45 s in all) before a service gives up: on a loaded
 * machine a just-created topic was seen unknown to the broker for longer than 10 s.
 */
const SUBSCRIBE_ATTEMPTS = 20;

export const DEFAULT_CONSUMER_RELIABILITY: ConsumerReliability = {
  maxAttempts: 5,
  initialBackoffMs: 200,
  maxBackoffMs: 5_000,
  isDependencyOutage,
  outageInitialBackoffMs: 500,
  outageMaxBackoffMs: 30_000,
};

/** The longest a wait goes without a heartbeat, well inside kafkajs' 30 s session timeout. */
const HEARTBEAT_EVERY_MS = 1_000;

/**
 * Nest's Kafka transport with the delivery guarantees this system needs. `@EventPattern`
 * handlers stay plain NestJS; around each one:
 * - a failing message is retried a bounded number of times with exponential backoff (kafkajs
 *   alone would retry it forever and block its partition);
 * - then, or at once for an InvalidMessageError, it is published to `<topic>.dlq` with the
 *   reason and its origin in headers, and the partition moves on;
 * - a failure because a dependency is down (the database, the broker: isDependencyOutage) is not
 *   the message's: it waits with a capped backoff until the dependency is back, however long
 *   that takes, heartbeating, without spending the message's attempts, so an outage
 *   dead-letters nothing (its partition waits meanwhile, as every message would fail alike);
 * - the offset is committed only after the handler resolved (its transaction committed) or the
 *   dead letter was acknowledged, because kafkajs commits only what `eachMessage` finished.
 *
 * It reports consumer lag, handling time, retries and dead letters as Prometheus metrics.
 */
export class ReliableKafkaServer extends ServerKafka {
  private readonly reliability: ConsumerReliability;
  private readonly metrics: ConsumerMetrics;
  private readonly outageBackoff: ExponentialBackoff<unknown>;
  /** Aborted by close(): a message waiting out an outage gives up, uncommitted. */
  private stopping = new AbortController();

  constructor(
    options: NonNullable<KafkaOptions['options']>,
    reliability: Partial<ConsumerReliability> = {},
  ) {
    super(options);
    this.reliability = { ...DEFAULT_CONSUMER_RELIABILITY, ...reliability };
    // The group as the broker knows it (Nest appends `-server`), as kafka-consumer-groups shows it.
    this.metrics = consumerMetrics(this.groupId);
    this.outageBackoff = new ExponentialBackoff({
      initialDelay: this.reliability.outageInitialBackoffMs,
      maxDelay: this.reliability.outageMaxBackoffMs,
    });
  }

  override async close(): Promise<void> {
    // kafkajs' disconnect waits for the messages being handled; one waiting for a database to
    // come back would hold the shutdown for as long as the outage lasts.
    this.stopping.abort();
    await super.close();
  }

  /**
   * Connects, waiting (about two minutes in all) for a broker that cannot be reached yet: a
   * service started while Kafka restarts used to exit with "Closed connection" and be restarted
   * (seen in the chaos run). Each try starts from fresh clients.
   */
  override async start(callback: () => void): Promise<void> {
    const policy = retry(handleWhen(isBrokerUnreachable), {
      maxAttempts: 20,
      backoff: new ExponentialBackoff({ initialDelay: 500, maxDelay: 8_000 }),
    });
    policy.onRetry(({ delay, ...reason }) =>
      this.logger.warn(
        `Kafka unreachable at start-up, trying again in ${Math.round(delay)} ms: ` +
          ('error' in reason ? describe(reason.error) : 'no answer'),
      ),
    );
    await policy.execute(async () => {
      try {
        await super.start(() => undefined);
      } catch (error) {
        await Promise.allSettled([this.consumer?.disconnect(), this.producer?.disconnect()]);
        throw error;
      }
    });
    callback();
  }

  /**
   * Subscribes, retrying for a while when the broker does not know a topic yet. ensureTopics
   * waits until every partition has a leader, yet on a fresh single-broker cluster with several
   * services creating topics at once, the consumer's first metadata request was still seen to
   * answer "This server does not host this topic-partition" now and then, and the service exited.
   */
  override async bindEvents(consumer: Consumer): Promise<void> {
    this.stopping = new AbortController();
    for (let attempt = 1; ; attempt++) {
      try {
        return await super.bindEvents(consumer);
      } catch (error) {
        const unknownTopic = isKafkaErrorOfType(error, 'UNKNOWN_TOPIC_OR_PARTITION');
        if (!unknownTopic || attempt >= SUBSCRIBE_ATTEMPTS) throw error;
        const delay = Math.min(250 * attempt, 3_000);
        this.logger.warn(`Subscribing: ${describe(error)}; trying again in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * Lag per partition: kafkajs reports it after each batch (END_BATCH_PROCESS, once every message
   * of the batch went through `eachMessage`) as the high watermark of the fetch minus the batch's
   * last offset. Partitions this consumer no longer owns stop reporting.
   */
  protected override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    const consumer = this.consumer;
    if (!consumer) return;
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
      this.metrics.recordLag(payload.topic, payload.partition, Number(payload.offsetLag)),
    );
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
      this.metrics.keepLagOnlyFor(payload.memberAssignment),
    );
    consumer.on(consumer.events.DISCONNECT, () => this.metrics.forgetLag());
  }

  override async handleEvent(
    pattern: string,
    packet: ReadPacket,
    context: KafkaContext,
  ): Promise<unknown> {
    const { maxAttempts, initialBackoffMs, maxBackoffMs } = this.reliability;
    const topic = context.getTopic();
    const started = performance.now();
    let attempt = 0;
    let outage: IBackoff<unknown> | undefined;
    for (;;) {
      try {
        const result: unknown = await super.handleEvent(pattern, packet, context);
        this.metrics.observeMessage(topic, 'handled', secondsSince(started));
        return result;
      } catch (error) {
        if (!(error instanceof InvalidMessageError) && this.reliability.isDependencyOutage(error)) {
          outage = outage ? outage.next(undefined) : this.outageBackoff.next();
          const delay = Math.round(outage.duration);
          this.logger.warn(
            `${where(context)} waits ${delay} ms for a dependency that is down (not counted as ` +
              `an attempt): ${describe(error)}`,
          );
          await this.waitKeepingMembership(delay, context);
          continue;
        }
        outage = undefined;
        attempt++;
        if (error instanceof InvalidMessageError || attempt >= maxAttempts) {
          await this.deadLetter(context, error, attempt);
          this.metrics.observeMessage(topic, 'dead_lettered', secondsSince(started));
          return undefined;
        }
        this.metrics.countRetry(topic);
        const delay = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempt - 1));
        this.logger.warn(
          `${where(context)} failed (attempt ${attempt}/${maxAttempts}), retrying in ${delay} ms: ` +
            describe(error),
        );
        await this.waitKeepingMembership(delay, context);
      }
    }
  }

  /**
   * Sleeps, heartbeating now and then: a long wait must not make the broker think this consumer
   * died and hand its partitions to another. Throws when the server closes meanwhile, so the
   * message is not committed and is handled again after the restart.
   */
  private async waitKeepingMembership(ms: number, context: KafkaContext): Promise<void> {
    const signal = this.stopping.signal;
    for (let left = ms; left > 0; left -= HEARTBEAT_EVERY_MS) {
      await sleep(Math.min(left, HEARTBEAT_EVERY_MS), undefined, { signal }).catch(() => {
        throw new Error(`${where(context)} left unhandled: the consumer is stopping`);
      });
      await context.getHeartbeat()();
    }
  }

  /** Awaited: if the dead letter cannot be written, the offset is not committed either. */
  private async deadLetter(context: KafkaContext, error: unknown, attempts: number): Promise<void> {
    const message = context.getMessage();
    const topic = context.getTopic();
    const headers = deadLetterHeaders({
      topic,
      partition: context.getPartition(),
      offset: message.offset,
      groupId: this.groupId,
      attempts,
      error,
    });
    const producer = context.getProducer();
    const letter = fitDeadLetter({
      key: encode(message.key),
      value: encode(message.value),
      headers: { ...rawHeaders(message.headers), ...headers },
    });
    await producer.send({ topic: deadLetterTopic(topic), acks: -1, messages: [letter] });
    this.metrics.countDeadLetter(topic);
    this.logger.error(
      `${topic}[${context.getPartition()}]@${message.offset} dead-lettered to ` +
        `${deadLetterTopic(topic)} after ${attempts} attempt(s): ${describe(error)}`,
    );
  }
}

/**
 * Nest's default RPC exception filter replaces every error with "Internal server error"; this
 * one lets the original through, so the consumer can tell invalid messages from transient
 * failures and record the real reason in the dead letter.
 */
@Catch()
export class RethrowRpcExceptionFilter implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

function rawHeaders(headers: Record<string, unknown> | undefined): Record<string, Buffer | string> {
  const result: Record<string, Buffer | string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const encoded = encode(value);
    if (encoded !== null) result[name] = encoded;
  }
  return result;
}

/**
 * Nest's parser has already decoded the value, the key and each header (JSON → object); put
 * the same content back.
 */
function encode(value: unknown): Buffer | string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value) || typeof value === 'string') return value;
  return JSON.stringify(value);
}

function where(context: KafkaContext): string {
  return `${context.getTopic()}[${context.getPartition()}]@${context.getMessage().offset}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
}
