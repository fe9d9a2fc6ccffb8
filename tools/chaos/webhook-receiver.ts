import { createServer } from 'node:http';

/** A local webhook endpoint that counts every call per (subscription, event): at-least-once. */
export async function startWebhookReceiver(): Promise<{
  port: number;
  calls: Map<string, number>;
  close(): Promise<void>;
}> {
  const calls = new Map<string, number>();
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      try {
        const payload = JSON.parse(body) as { subscriptionId: string; eventId: string };
        const key = `${payload.subscriptionId}/${payload.eventId}`;
        calls.set(key, (calls.get(key) ?? 0) + 1);
      } catch {
        // Not a notification: counted nowhere.
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
