import { type BreakerState, type MessagingHealth, type ServicesHealth } from '../api/api-types';
import { formatTime } from '../app/format';
import { ProblemAlert } from '../app/problem-alert';
import { onLinkClick } from '../app/router';
import { useApi } from '../app/use-api';

const REFRESH_MS = 5_000;

const STATUS_LABELS = { ready: 'Ready', 'not-ready': 'Not ready', unreachable: 'Unreachable' };
const BREAKER_LABELS: Record<BreakerState, string> = {
  closed: 'closed',
  open: 'OPEN',
  'half-open': 'half-open',
  isolated: 'isolated',
};

/** Services' health and circuit breakers; consumer lag and dead letters, from their metrics. */
export function OperationsPage() {
  const services = useApi<ServicesHealth>('/api/v1/operations/services', REFRESH_MS);
  const messaging = useApi<MessagingHealth>('/api/v1/operations/messaging', REFRESH_MS);
  return (
    <>
      <h1 tabIndex={-1}>Operations</h1>
      <section aria-labelledby="services-heading" class="panel">
        <h2 id="services-heading">Services</h2>
        <ProblemAlert message={services.error} />
        {services.data && (
          <>
            <p class="checked">Checked at {formatTime(services.data.checkedAt)}</p>
            <table data-testid="services">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Status</th>
                  <th scope="col">Instances</th>
                  <th scope="col">Circuit breakers</th>
                </tr>
              </thead>
              <tbody>
                {services.data.services.map((service) => (
                  <tr
                    key={service.service}
                    data-testid="service-row"
                    data-service={service.service}
                  >
                    <th scope="row">{service.service}</th>
                    <td class={`status ${service.status}`} data-status={service.status}>
                      {STATUS_LABELS[service.status] ?? service.status}
                    </td>
                    <td>
                      {service.instances.length === 0
                        ? 'none found'
                        : service.instances.map((instance) => (
                            <span key={instance.address} class={`instance ${instance.status}`}>
                              {instance.address}:{' '}
                              {STATUS_LABELS[instance.status] ?? instance.status}
                            </span>
                          ))}
                    </td>
                    <td>
                      {service.circuitBreakers.length === 0
                        ? 'none'
                        : service.circuitBreakers.map((breaker) => (
                            <span
                              key={breaker.name}
                              class={`breaker ${breaker.state}`}
                              data-testid="circuit-breaker"
                              data-state={breaker.state}
                            >
                              {breaker.name}: {BREAKER_LABELS[breaker.state] ?? breaker.state}
                            </span>
                          ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section aria-labelledby="messaging-heading" class="panel">
        <h2 id="messaging-heading">Messaging</h2>
        <ProblemAlert message={messaging.error} />
        {messaging.data && (
          <>
            <p class="checked">Checked at {formatTime(messaging.data.checkedAt)}</p>
            <h3>Dead-letter topics</h3>
            <table data-testid="dead-letter-topics">
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col">Source topic</th>
                  <th scope="col">Messages</th>
                  <th scope="col">Awaiting redrive</th>
                </tr>
              </thead>
              <tbody>
                {messaging.data.deadLetters.map((topic) => (
                  <tr key={topic.topic} data-testid="dlq-row" data-topic={topic.topic}>
                    <th scope="row">
                      <a
                        href={`/dead-letters/${encodeURIComponent(topic.topic)}`}
                        onClick={onLinkClick}
                      >
                        {topic.topic}
                      </a>
                    </th>
                    <td>{topic.sourceTopic}</td>
                    <td data-testid="dlq-count">{topic.messages}</td>
                    <td data-testid="dlq-awaiting">{topic.awaitingRedrive}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>Consumer lag</h3>
            <table data-testid="consumer-lag">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Consumer group</th>
                  <th scope="col">Topic</th>
                  <th scope="col">Lag (messages)</th>
                </tr>
              </thead>
              <tbody>
                {messaging.data.consumers.map((consumer) => (
                  <tr key={`${consumer.group} ${consumer.topic}`} data-testid="lag-row">
                    <th scope="row">{consumer.service}</th>
                    <td>{consumer.group}</td>
                    <td>{consumer.topic}</td>
                    <td>{consumer.lag}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </>
  );
}
