// `npm run watch -- <deliveryId> [<deliveryId>…] [--fleet]`: follows deliveries on the live
// stream (/api/v1/stream) as a client would: a token by client credentials, a WebSocket to the
// gateway, one line per delivery event and drone position. When the connection drops it
// reconnects and resumes after the last sequence it printed, so no event is missed (some may
// come twice, which it skips). `--fleet` (operators) prints every drone's position too.
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { DEMO_CLIENTS } from '@drone-delivery/contracts';
import { ClientCredentialsTokens, sleep } from '@drone-delivery/demo-traffic';

const USAGE = `usage: npm run watch -- <deliveryId> [<deliveryId>…] [options]

  --fleet               every drone's position (needs an operator client)
  --gateway-url URL     default $GATEWAY_URL or http://localhost:\${GATEWAY_PORT:-8080}
  --client-id ID        default $API_CLIENT_ID or ${DEMO_CLIENTS.active.clientId}
  --client-secret S     default $API_CLIENT_SECRET or the demo client's`;

interface Frame {
  type: string;
  deliveryId?: string;
  sequence?: number;
  eventType?: string;
  occurredAt?: string;
  droneId?: string;
  state?: string;
  location?: { lat: number; lng: number };
  lastSequence?: number;
  code?: string;
  message?: string;
}

async function main(): Promise<number> {
  const env = process.env;
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      fleet: { type: 'boolean', default: false },
      'gateway-url': {
        type: 'string',
        default: env.GATEWAY_URL ?? `http://localhost:${env.GATEWAY_PORT ?? 8080}`,
      },
      'client-id': { type: 'string', default: env.API_CLIENT_ID ?? DEMO_CLIENTS.active.clientId },
      'client-secret': {
        type: 'string',
        default: env.API_CLIENT_SECRET ?? DEMO_CLIENTS.active.clientSecret,
      },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || (positionals.length === 0 && !values.fleet)) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const gateway = values['gateway-url'].replace(/\/+$/, '');
  const tokens = new ClientCredentialsTokens(
    `${gateway}/identity/token`,
    { clientId: values['client-id'], clientSecret: values['client-secret'] },
    (url, init) => fetch(url, init),
  );
  const lastSequence = new Map(positionals.map((deliveryId) => [deliveryId.toLowerCase(), 0]));
  const streamUrl = `${gateway.replace(/^http/, 'ws')}/api/v1/stream`;

  for (;;) {
    const token = await tokens.token();
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
      const ws = new WebSocket(streamUrl, ['drone-delivery.stream.v1', `bearer.${token}`]);
      ws.on('open', () => {
        console.log(`connected to ${streamUrl}`);
        if (values.fleet) ws.send(JSON.stringify({ type: 'watch-fleet' }));
        for (const [deliveryId, afterSequence] of lastSequence) {
          ws.send(JSON.stringify({ type: 'subscribe', deliveryId, afterSequence }));
        }
      });
      ws.on('message', (data: Buffer) => print(JSON.parse(data.toString()) as Frame, lastSequence));
      ws.on('unexpected-response', (_, response) => {
        console.error(
          `the gateway refused the stream: ${response.statusCode} ${response.statusMessage}`,
        );
        resolve({ code: response.statusCode ?? 0, reason: 'refused' });
      });
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
      ws.on('error', () => undefined);
    });
    if (closed.code === 401 || closed.code === 403) return 1;
    console.log(
      `disconnected (${closed.code}${closed.reason ? `: ${closed.reason}` : ''}); resuming in 1 s`,
    );
    if (closed.code === 4401) tokens.invalidate(token);
    await sleep(1_000);
  }
}

function print(frame: Frame, lastSequence: Map<string, number>): void {
  const at = new Date().toISOString().slice(11, 23);
  if (frame.type === 'delivery-event' && frame.deliveryId && frame.sequence) {
    if (frame.sequence <= (lastSequence.get(frame.deliveryId) ?? 0)) return; // seen before a reconnect
    lastSequence.set(frame.deliveryId, frame.sequence);
    console.log(
      `${at} ${frame.deliveryId} #${frame.sequence} ${frame.eventType} (${frame.occurredAt})`,
    );
  } else if (frame.type === 'position' && frame.location) {
    const where = `${frame.location.lat.toFixed(5)},${frame.location.lng.toFixed(5)}`;
    console.log(
      `${at} drone ${frame.droneId} ${frame.state} at ${where}${frame.deliveryId ? ` for ${frame.deliveryId}` : ''}`,
    );
  } else if (frame.type === 'subscribed') {
    console.log(`${at} ${frame.deliveryId}: live from #${frame.lastSequence}`);
  } else if (frame.type === 'error') {
    console.error(`${at} ${frame.deliveryId ?? ''} ${frame.code}: ${frame.message}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
