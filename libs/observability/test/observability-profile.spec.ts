import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectDefaultMetrics, register, Registry } from 'prom-client';
import { parse } from 'yaml';
// Registers every instrument of the library in prom-client's default registry, as a service does.
import '../src';

// The compose demo's `observability` profile (docker-compose.yml, docker/observability): the
// dashboard may only chart metrics the services serve, and Prometheus has to scrape every
// service and nothing else. Nothing here runs a container; it reads the files as committed.

const ROOT = path.resolve(__dirname, '../../..');
const OBSERVABILITY = path.join(ROOT, 'docker/observability');

const readText = (file: string) => readFileSync(file, 'utf8');
// `merge`: docker-compose.yml builds services from YAML 1.1 merge keys (`<<: *app`).
const readYaml = (file: string): unknown => parse(readText(file), { merge: true });

/**
 * The metrics contract the services implement (libs/observability/src/metrics): name → type.
 * Every series also carries `service`. A histogram is queried through its _bucket/_count/_sum.
 */
const CONTRACT_METRICS = {
  http_server_request_duration_seconds: 'histogram',
  kafka_consumer_lag: 'gauge',
  kafka_consumer_handling_duration_seconds: 'histogram',
  kafka_consumer_retries_total: 'counter',
  kafka_dead_letters_total: 'counter',
  outbox_backlog: 'gauge',
  outbox_published_total: 'counter',
  circuit_breaker_state: 'gauge',
  downstream_request_duration_seconds: 'histogram',
  stream_connections: 'gauge',
  stream_positions_coalesced_total: 'counter',
  stream_slow_clients_closed_total: 'counter',
} as const;

/**
 * The series names a metric exposes: a histogram's or summary's suffixed series too. `type` as
 * prom-client reports it at run time ('counter', 'histogram', ...; its typings say an enum).
 */
function seriesNames(name: string, type: string): string[] {
  if (type === 'histogram') return [`${name}_bucket`, `${name}_count`, `${name}_sum`];
  if (type === 'summary') return [name, `${name}_count`, `${name}_sum`];
  return [name];
}

/** prom-client's default metrics (process_*, nodejs_*), as startMetrics turns them on. */
async function defaultMetricSeries(): Promise<string[]> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = await registry.getMetricsAsJSON();
  return metrics.flatMap((metric) => seriesNames(metric.name, String(metric.type)));
}

const CONTRACT_SERIES = Object.entries(CONTRACT_METRICS).flatMap(([name, type]) =>
  seriesNames(name, type),
);

// ---- PromQL --------------------------------------------------------------------------------

/** Words that PromQL spells like metric names: operators and modifiers. */
const PROMQL_KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'atan2',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
]);

/**
 * The metric names an expression selects. Grafana's variables are taken out first; then label
 * matchers `{...}`, ranges `[...]`, strings, and grouping clauses (`by (...)`, `on (...)`), whose
 * words are labels; what is left that is a name and not a function call is a metric.
 */
function metricNamesIn(expression: string): string[] {
  const stripped = expression
    .replace(/\$\{?\w+\}?/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  // Not inside a number (`5m`, `1e3`).
  for (const match of stripped.matchAll(/(?<![\w.])[A-Za-z_:][\w:]*/g)) {
    const rest = stripped.slice(match.index + match[0].length);
    const isCall = /^\s*\(/.test(rest);
    if (!isCall && !PROMQL_KEYWORDS.has(match[0])) names.add(match[0]);
  }
  return [...names];
}

// ---- The dashboard -------------------------------------------------------------------------

interface DatasourceRef {
  type?: string;
  uid?: string;
}
interface DashboardTarget {
  datasource?: DatasourceRef;
  expr?: string;
}
interface DashboardPanel {
  title: string;
  type: string;
  datasource?: DatasourceRef;
  targets?: DashboardTarget[];
  panels?: DashboardPanel[];
  fieldConfig?: { defaults?: { mappings?: { type: string; options: object }[] } };
}
interface Dashboard {
  title: string;
  panels: DashboardPanel[];
  templating: { list: { name: string; datasource?: DatasourceRef; definition?: string }[] };
}

const DASHBOARD_FILE = path.join(OBSERVABILITY, 'grafana/dashboards/drone-delivery.json');

function readDashboard(): Dashboard {
  return JSON.parse(readText(DASHBOARD_FILE)) as Dashboard;
}

/** Every panel, rows' nested ones included. */
function allPanels(dashboard: Dashboard): DashboardPanel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Every PromQL expression: panel queries and the variables' `label_values(metric, label)`. */
function promqlExpressions(dashboard: Dashboard): { where: string; expr: string }[] {
  const queries = allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => target.expr !== undefined)
      .map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr as string })),
  );
  const variables = dashboard.templating.list.flatMap((variable) => {
    const metric = /^label_values\(\s*([^,)]+)\s*,/.exec(variable.definition ?? '')?.[1];
    return metric ? [{ where: `variable $${variable.name}`, expr: metric }] : [];
  });
  return [...queries, ...variables];
}

describe('metricNamesIn', () => {
  it('finds the metrics of an expression, not its functions, labels, variables or ranges', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (service, le) (rate(a_seconds_bucket{service=~"$service", route!~"/metrics|x"}[$__rate_interval]))) / on (service) group_left b_total offset 5m',
      ).sort(),
    ).toEqual(['a_seconds_bucket', 'b_total']);
  });
});

describe('docker/observability/grafana/dashboards/drone-delivery.json', () => {
  const dashboard = readDashboard();
  const expressions = promqlExpressions(dashboard);

  it('queries only metrics in the contract or prom-client defaults', async () => {
    const known = new Set([...CONTRACT_SERIES, ...(await defaultMetricSeries())]);
    const unknown = expressions.flatMap(({ where, expr }) =>
      metricNamesIn(expr)
        .filter((name) => !known.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('charts every metric of the contract', () => {
    const used = new Set(expressions.flatMap(({ expr }) => metricNamesIn(expr)));
    const unused = Object.entries(CONTRACT_METRICS)
      .filter(([name, type]) => !seriesNames(name, type).some((series) => used.has(series)))
      .map(([name]) => name);
    expect(unused).toEqual([]);
  });

  it('shows circuit-breaker states by name, as the gauge encodes them', () => {
    const panel = allPanels(dashboard).find((candidate) =>
      candidate.targets?.some((target) => target.expr?.includes('circuit_breaker_state')),
    );
    const mapping = panel?.fieldConfig?.defaults?.mappings?.find((m) => m.type === 'value');
    const texts = Object.fromEntries(
      Object.entries((mapping?.options ?? {}) as Record<string, { text: string }>).map(
        ([value, { text }]) => [value, text],
      ),
    );
    expect(texts).toEqual({ 0: 'closed', 1: 'half-open', 2: 'open', 3: 'isolated' });
  });

  it('uses only the data sources Grafana is provisioned with', () => {
    const provisioned = readYaml(
      path.join(OBSERVABILITY, 'grafana/provisioning/datasources/datasources.yml'),
    ) as { datasources: { uid: string; type: string }[] };
    const available = new Set(provisioned.datasources.map((ds) => `${ds.type}/${ds.uid}`));
    const refs = [
      ...allPanels(dashboard).flatMap((panel) => [
        panel.datasource,
        ...(panel.targets ?? []).map((target) => target.datasource),
      ]),
      ...dashboard.templating.list.map((variable) => variable.datasource),
    ].filter((ref): ref is DatasourceRef => ref !== undefined);
    const missing = refs
      .map((ref) => `${ref.type}/${ref.uid}`)
      .filter((ref) => !available.has(ref));
    expect(refs.length).toBeGreaterThan(0);
    expect([...new Set(missing)]).toEqual([]);
  });
});

describe('the contract in this test', () => {
  it('is what libs/observability registers', async () => {
    const defaults = new Set(await defaultMetricSeries());
    const registered = register
      .getMetricsAsArray()
      .map((metric) => metric.name)
      .filter((name) => !defaults.has(name));
    expect(registered.sort()).toEqual(Object.keys(CONTRACT_METRICS).sort());
  });
});

// ---- Compose and Prometheus ----------------------------------------------------------------

interface ComposeService {
  image?: string;
  profiles?: string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: string[];
}

function composeServices(): Record<string, ComposeService> {
  const compose = readYaml(path.join(ROOT, 'docker-compose.yml')) as {
    services: Record<string, ComposeService>;
  };
  return compose.services;
}

function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  const pairs = Array.isArray(environment)
    ? environment.map((entry) => entry.split(/=(.*)/s).slice(0, 2))
    : Object.entries(environment);
  return Object.fromEntries(pairs.map(([key, value]) => [key, String(value ?? '')]));
}

/**
 * Services with a port that serve neither /metrics nor traces, and why. Once one of them serves
 * metrics, Prometheus scrapes it and it leaves this list (a test below insists).
 */
const NOT_INSTRUMENTED = new Map([
  ['traffic-generator', 'plain Node with /health/* only (apps/traffic-generator/src/main.ts)'],
]);

/** The services that serve HTTP, and so /metrics and traces: those given a PORT. */
function appServicePorts(services: Record<string, ComposeService>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(services)
      .filter(([name]) => !NOT_INSTRUMENTED.has(name))
      .map(([name, service]) => [name, environmentOf(service)['PORT']] as const)
      .filter((entry): entry is readonly [string, string] => entry[1] !== undefined),
  );
}

/** `host:port` of every target: static ones, and DNS-discovered names (each replica's A record). */
function scrapeTargets(): string[] {
  const config = readYaml(path.join(OBSERVABILITY, 'prometheus.yml')) as {
    scrape_configs: {
      static_configs?: { targets: string[] }[];
      dns_sd_configs?: { names: string[]; type: string; port: number }[];
    }[];
  };
  return config.scrape_configs.flatMap((job) => [
    ...(job.static_configs ?? []).flatMap((group) => group.targets),
    ...(job.dns_sd_configs ?? []).flatMap((group) =>
      group.names.map((name) => `${name}:${group.port}`),
    ),
  ]);
}

describe('docker/observability/prometheus.yml', () => {
  const services = composeServices();
  const ports = appServicePorts(services);
  const targets = scrapeTargets();

  it('finds the app services in docker-compose.yml', () => {
    // Guards the checks below against passing on an empty list.
    expect(Object.keys(ports)).toEqual(
      expect.arrayContaining(['scheduler', 'accounts', 'delivery', 'delivery-history']),
    );
  });

  it('scrapes every service that has a port, on that port', () => {
    const expected = Object.entries(ports).map(([name, port]) => `${name}:${port}`);
    expect(targets).toEqual(expect.arrayContaining(expected));
  });

  it('scrapes only compose services, each once', () => {
    const hosts = targets.map((target) => target.split(':')[0]);
    expect(hosts.filter((host) => !(host in services))).toEqual([]);
    expect(new Set(targets).size).toBe(targets.length);
  });

  it('does not scrape the services listed as not instrumented', () => {
    const hosts = targets.map((target) => target.split(':')[0]);
    expect(hosts.filter((host) => NOT_INSTRUMENTED.has(host))).toEqual([]);
  });
});

describe('docker-compose.yml, observability profile', () => {
  const services = composeServices();
  const observability = ['jaeger', 'prometheus', 'grafana'];

  it('starts Jaeger, Prometheus and Grafana only with the profile, images as settings', () => {
    for (const name of observability) {
      expect(services[name]?.profiles).toEqual(['observability']);
      expect(services[name]?.image).toMatch(/^\$\{[A-Z]+_IMAGE:-[^}]+\}$/);
    }
  });

  it('publishes the UIs on 127.0.0.1 only', () => {
    const published = observability.flatMap((name) => services[name]?.ports ?? []);
    expect(published.length).toBeGreaterThanOrEqual(3);
    expect(published.filter((port) => !port.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it('sends every app service traces to Jaeger over OTLP/HTTP by default', () => {
    const withoutEndpoint = Object.keys(appServicePorts(services)).filter(
      (name) =>
        environmentOf(services[name])['OTEL_EXPORTER_OTLP_ENDPOINT'] !==
        '${OTEL_EXPORTER_OTLP_ENDPOINT:-http://jaeger:4318}',
    );
    expect(withoutEndpoint).toEqual([]);
  });
});
