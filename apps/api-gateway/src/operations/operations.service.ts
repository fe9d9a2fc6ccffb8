import { Injectable } from '@nestjs/common';
import {
  type DeadLetterPage,
  type MessagingOverview,
  type RedriveOutcome,
  type ServicesOverview,
} from '@drone-delivery/contracts';
import { fieldErrorsProblem } from '@drone-delivery/service-defaults';
import { DeadLetters } from './dead-letters';
import { consumerLags, serviceOverview } from './operations-views';
import { ServiceProbes } from './service-probes';

export const DEFAULT_DEAD_LETTER_PAGE = 50;
export const MAX_DEAD_LETTER_PAGE = 500;

/** What the operators' routes answer (/api/v1/operations/...); each is asked for afresh. */
@Injectable()
export class OperationsService {
  constructor(
    private readonly probes: ServiceProbes,
    private readonly deadLetters: DeadLetters,
  ) {}

  async services(): Promise<ServicesOverview> {
    const checkedAt = new Date().toISOString();
    return { checkedAt, services: (await this.probes.probeAll()).map(serviceOverview) };
  }

  async messaging(): Promise<MessagingOverview> {
    const checkedAt = new Date().toISOString();
    const [probes, deadLetters] = await Promise.all([
      this.probes.probeAll(),
      this.deadLetters.backlogs(),
    ]);
    return { checkedAt, consumers: consumerLags(probes), deadLetters };
  }

  deadLetterPage(topic: string, limit: string | null): Promise<DeadLetterPage> {
    return this.deadLetters.page(topic, pageLimit(limit));
  }

  redrive(topic: string): Promise<RedriveOutcome> {
    return this.deadLetters.redrive(topic);
  }
}

function pageLimit(value: string | null): number {
  if (value === null) return DEFAULT_DEAD_LETTER_PAGE;
  const limit = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (limit >= 1 && limit <= MAX_DEAD_LETTER_PAGE) return limit;
  throw fieldErrorsProblem([
    { field: 'limit', message: `must be a whole number from 1 to ${MAX_DEAD_LETTER_PAGE}` },
  ]);
}
