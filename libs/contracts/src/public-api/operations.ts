// The operators' views of the running system, answered by the gateway under
// /api/v1/operations (operator scope only).

export type ServiceStatus = 'ready' | 'not-ready' | 'unreachable';

export type CircuitBreakerStateName = 'closed' | 'open' | 'half-open' | 'isolated';

/** `GET /api/v1/operations/services` */
export interface ServicesOverview {
  checkedAt: string;
  services: ServiceOverview[];
}

export interface ServiceOverview {
  service: string;
  /** ready: every instance is; unreachable: none answered; not-ready: anything between. */
  status: ServiceStatus;
  /** Each breaker of its calls to other services; the worst state when instances differ. */
  circuitBreakers: { name: string; state: CircuitBreakerStateName }[];
  /** Each instance behind the service's name, by address. */
  instances: { address: string; status: ServiceStatus }[];
}

/** `GET /api/v1/operations/messaging` */
export interface MessagingOverview {
  checkedAt: string;
  /** Messages behind the end of the topic, per consumer group, summed over its instances. */
  consumers: { service: string; group: string; topic: string; lag: number }[];
  deadLetters: {
    topic: string;
    sourceTopic: string;
    /** Dead letters the topic keeps. */
    messages: number;
    /** Of those, the ones a redrive would send back. */
    awaitingRedrive: number;
  }[];
}

/** `GET /api/v1/operations/dead-letters/{topic}`: the letters a redrive would send, oldest first. */
export interface DeadLetterPage {
  topic: string;
  items: DeadLetterItem[];
}

export interface DeadLetterItem {
  partition: number;
  offset: string;
  key: string | null;
  reason: string;
  errorType: string | null;
  sourceTopic: string;
  sourcePartition: number | null;
  sourceOffset: string | null;
  consumerGroup: string | null;
  attempts: number | null;
  deadLetteredAt: string | null;
  /** The first 2 KB of the value, as UTF-8. */
  value: string;
  valueBytes: number;
}

/** `POST /api/v1/operations/dead-letters/{topic}/redrive` */
export interface RedriveOutcome {
  topic: string;
  redriven: number;
}
