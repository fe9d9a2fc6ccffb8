import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import {
  type DeadLetterPage,
  type MessagingOverview,
  type RedriveOutcome,
} from '@drone-delivery/contracts';
import {
  deadLetterBacklogs,
  deadLetterTopic,
  kafkaTls,
  readDeadLetters,
  redriveDeadLetters,
} from '@drone-delivery/messaging';
import { ProblemException } from '@drone-delivery/service-defaults';
import { type ApiGatewayConfig } from '../config/api-gateway.config';
import { API_GATEWAY_CONFIG } from '../config/api-gateway.config.token';
import { RedriveLock } from './redrive-lock';

/**
 * A redrive that has not finished by then gives up (503; what it sent stays sent, the next call
 * sends the rest) rather than hold the topic's lock for good: thousands of letters fit in it.
 */
const REDRIVE_TIMEOUT_MS = 300_000;

/**
 * The dead-letter topics of DEAD_LETTER_SOURCE_TOPICS, for operators: how many letters each
 * holds, the ones waiting for a redrive, and the redrive itself, which is libs/messaging's
 * redriveDeadLetters (the one `npm run dlq:redrive` runs), in the same consumer group: a letter
 * either of them sent is not sent again by the other.
 */
@Injectable()
export class DeadLetters {
  private readonly logger = new Logger(DeadLetters.name);
  private readonly sourceByTopic: Map<string, string>;

  constructor(
    private readonly lock: RedriveLock,
    @Inject(API_GATEWAY_CONFIG) private readonly config: ApiGatewayConfig,
  ) {
    this.sourceByTopic = new Map(
      config.DEAD_LETTER_SOURCE_TOPICS.map((source) => [deadLetterTopic(source), source]),
    );
  }

  backlogs(): Promise<MessagingOverview['deadLetters']> {
    return this.kafka(`count the dead letters`, () =>
      deadLetterBacklogs({ ...this.connection(), sourceTopics: [...this.sourceByTopic.values()] }),
    );
  }

  async page(topic: string, limit: number): Promise<DeadLetterPage> {
    const sourceTopic = this.sourceOf(topic);
    const items = await this.kafka(`read ${topic}`, () =>
      readDeadLetters({ ...this.connection(), sourceTopic, limit }),
    );
    return { topic, items };
  }

  /**
   * Sends the letters not redriven yet back to their topic, once: one run at a time per topic
   * (RedriveLock), each letter committed in the redrive's group once sent, so a second call,
   * concurrent or later, sends only letters that arrived since (usually none).
   */
  async redrive(topic: string): Promise<RedriveOutcome> {
    const sourceTopic = this.sourceOf(topic);
    const { redriven } = await this.lock.exclusive(topic, () =>
      this.kafka(`redrive ${topic}`, () =>
        redriveDeadLetters({
          ...this.connection(),
          topic: sourceTopic,
          timeoutMs: REDRIVE_TIMEOUT_MS,
          onProgress: (message) => this.logger.log(message),
        }),
      ),
    );
    return { topic, redriven };
  }

  private sourceOf(topic: string): string {
    const source = this.sourceByTopic.get(topic);
    if (source !== undefined) return source;
    throw new ProblemException({
      type: 'about:blank',
      title: 'Not found',
      status: HttpStatus.NOT_FOUND,
      detail: `${topic.slice(0, 250)} is not a dead-letter topic of this system.`,
    });
  }

  private connection() {
    return { brokers: this.config.KAFKA_BROKERS, tls: kafkaTls(this.config) };
  }

  /** A Kafka that cannot be reached is a 503 for the operator, not a 500. */
  private async kafka<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ProblemException) throw error;
      this.logger.warn(
        `Could not ${what}: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw new ProblemException(
        {
          type: 'https://drone-delivery.example/problems/kafka-unavailable',
          title: 'Kafka cannot be reached',
          status: HttpStatus.SERVICE_UNAVAILABLE,
          detail: `Could not ${what} just now. Please try again shortly.`,
        },
        { 'retry-after': String(this.config.RETRY_AFTER_SECONDS) },
      );
    }
  }
}
