import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy that can be cut: the process-level stand-in for `docker network disconnect`.
 * While severed, every open connection is dropped and new ones are closed at once, so the
 * client behind it sees the broker vanish and must reconnect once it is restored.
 */
export interface SeverableProxy {
  port: number;
  sever(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startSeverableProxy(
  target: { host: string; port: number },
  listenPort = 0,
): Promise<SeverableProxy> {
  const open = new Set<Socket>();
  let severed = false;
  const server: Server = createServer((client) => {
    if (severed) {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : listenPort,
    sever() {
      severed = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      severed = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
