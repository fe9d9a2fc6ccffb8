// `npm run dev`: every service from its TypeScript sources against the compose Postgres and
// Kafka, published on the host by the dev override file:
//   docker compose -f docker-compose.yml -f docker-compose.dev.yml up -d postgres kafka
// The gateway answers on http://localhost:8080, as in the demo stack. Output is prefixed with the service name;
// Ctrl-C stops them all gracefully.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';

const POSTGRES = process.env.DEV_POSTGRES ?? `localhost:${process.env.POSTGRES_PORT ?? 5433}`;
const KAFKA = process.env.KAFKA_BROKERS ?? `localhost:${process.env.KAFKA_PORT ?? 9094}`;
// Fresh service-token keys each run: the scheduler signs, the services it calls trust its key.
const schedulerKey = {
  ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }),
  kid: 'scheduler:dev',
  alg: 'EdDSA',
};
const schedulerPublicKey = { ...schedulerKey, d: undefined };

/**
 * name, port, database (and role). The compose Postgres gives each role the password
 * SERVICE_DB_PASSWORD, or its own name when that is unset (docker/postgres/init): the demo's
 * published default, which services accept in DEMO_MODE only.
 */
const DB_PASSWORD = process.env.SERVICE_DB_PASSWORD;
const SERVICES = [
  ['accounts', 3002, 'accounts'],
  ['package', 3003, 'package'],
  ['drone-management', 3004, 'drone_management'],
  ['delivery', 3005, 'delivery'],
  ['delivery-history', 3006, 'delivery_history'],
  ['scheduler', 3001, 'scheduler'],
  ['identity', 3008, 'identity'],
  ['api-gateway', 8080, 'api_gateway'],
];
const url = (port) => `http://127.0.0.1:${port}`;
const portOf = (name) => SERVICES.find(([service]) => service === name)[1];

const COLORS = [36, 33, 35, 32, 34, 31];
const children = SERVICES.map(([name, port, database], index) => {
  const env = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: `postgres://${database}:${encodeURIComponent(DB_PASSWORD ?? database)}@${POSTGRES}/${database}`,
    ...(DB_PASSWORD ? {} : { DEMO_MODE: 'true' }),
    KAFKA_BROKERS: KAFKA,
    SERVICE_TOKEN_TRUSTED_KEYS: JSON.stringify({ keys: [schedulerPublicKey] }),
    ...(name === 'scheduler' ? { SERVICE_TOKEN_SIGNING_KEY: JSON.stringify(schedulerKey) } : {}),
    SWC_NODE_PROJECT: `apps/${name}/tsconfig.json`,
    ACCOUNTS_URL: url(portOf('accounts')),
    PACKAGE_URL: url(portOf('package')),
    DRONE_MANAGEMENT_URL: url(portOf('drone-management')),
    DELIVERY_URL: url(portOf('delivery')),
    DELIVERY_HISTORY_URL: url(portOf('delivery-history')),
    SCHEDULER_URL: url(portOf('scheduler')),
    IDENTITY_URL: url(portOf('identity')),
    IDENTITY_COOKIE_KEYS: 'dev-only-identity-cookie-key-change-me-0123',
    // Tokens name the gateway's address as their issuer; services fetch identity's keys directly.
    IDENTITY_ISSUER: `${url(portOf('api-gateway'))}/identity`,
    AUTH_ISSUER: `${url(portOf('api-gateway'))}/identity`,
    AUTH_JWKS_URL: `${url(portOf('identity'))}/identity/jwks`,
  };
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${name}/src/main.ts`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[${COLORS[index % COLORS.length]}m${name.padEnd(16)}\x1b[0m| `;
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop();
      for (const line of lines) process.stdout.write(prefix + line + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${prefix}exited (${signal ?? code})\n`);
  });
  return child;
});

console.log(
  `starting ${SERVICES.length} services against Postgres ${POSTGRES} and Kafka ${KAFKA}\n` +
    SERVICES.map(
      ([name, port]) => `  ${name.padEnd(16)} ${url(port)}  (docs: ${url(port)}/docs)`,
    ).join('\n'),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
  });
}
await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
