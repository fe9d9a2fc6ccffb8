import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import { type Duplex } from 'node:stream';
import { Logger } from '@nestjs/common';
import { type WebSocket, WebSocketServer } from 'ws';
import { PROBLEM_CONTENT_TYPE } from '@drone-delivery/contracts';
import {
  AccessTokenError,
  type AccessTokenVerifier,
  bearerToken,
  type Caller,
} from '@drone-delivery/http';
import { streamMetrics } from '@drone-delivery/observability';
import { MAX_CLIENT_MESSAGE_BYTES, parseClientMessage } from './stream-frames';
import { type StreamHub } from './stream-hub';
import { type DeliveryAccess, type StreamLimits, StreamSession } from './stream-session';

export const STREAM_PATH = '/api/v1/stream';
/** The subprotocol a client asks for; browsers pass the token as a second one, `bearer.<jwt>`. */
export const STREAM_PROTOCOL = 'drone-delivery.stream.v1';
const BEARER_PROTOCOL_PREFIX = 'bearer.';
/** Close code when the access token expires: reconnect with a new one and resume. */
export const CLOSE_TOKEN_EXPIRED = 4401;

export interface StreamServerOptions {
  verifier: AccessTokenVerifier;
  hub: StreamHub;
  access: DeliveryAccess;
  limits: StreamLimits;
  maxConnections: number;
  pingIntervalMs: number;
}

/**
 * `/api/v1/stream` on the gateway's HTTP server: the upgrade is accepted only with a valid
 * access token (an `Authorization` header, or the `bearer.<jwt>` subprotocol for browsers,
 * which cannot set headers on a WebSocket), and the connection ends when the token expires.
 * Pings find dead peers; each connection is a StreamSession in the hub.
 */
export function attachStream(
  server: Server,
  options: StreamServerOptions,
): { close(): Promise<void> } {
  const logger = new Logger('LiveStream');
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(STREAM_PROTOCOL) ? STREAM_PROTOCOL : false),
  });
  const alive = new WeakSet<WebSocket>();

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://gateway').pathname;
    if (path !== STREAM_PATH)
      return refuse(socket, 404, 'Only /api/v1/stream takes WebSocket connections.');
    if (sockets.clients.size >= options.maxConnections) {
      return refuse(socket, 503, 'The live stream is full; try again shortly.', {
        'retry-after': '5',
      });
    }
    const token = bearerToken(request.headers.authorization) ?? protocolToken(request);
    options.verifier.verify(token).then(
      (caller) =>
        sockets.handleUpgrade(request, socket, head, (ws) => open(ws, caller, token as string)),
      (error: unknown) => {
        if (!(error instanceof AccessTokenError)) {
          logger.error(`stream upgrade failed: ${String(error)}`);
          return refuse(socket, 500, 'The connection could not be opened.');
        }
        if (error.code === 'unavailable')
          return refuse(socket, 503, error.message, { 'retry-after': '5' });
        return refuse(socket, error.code === 'insufficient_scope' ? 403 : 401, error.message, {
          'www-authenticate': `Bearer error="${error.code}"`,
        });
      },
    );
  });

  const open = (ws: WebSocket, caller: Caller, bearer: string) => {
    const session = new StreamSession(
      ws,
      caller,
      bearer,
      options.access,
      options.limits,
      streamMetrics,
    );
    options.hub.add(session);
    streamMetrics.connected();
    alive.add(ws);
    const expiry = setTimeout(
      () => ws.close(CLOSE_TOKEN_EXPIRED, 'the access token expired; reconnect with a new one'),
      Math.max(0, caller.expiresAt.getTime() - Date.now()),
    );
    ws.on('pong', () => alive.add(ws));
    ws.on('message', (data: Buffer, isBinary) => {
      const parsed = isBinary
        ? { error: 'messages are JSON text' }
        : parseClientMessage(data.toString('utf8'));
      if ('error' in parsed) {
        ws.send(JSON.stringify({ type: 'error', code: 'bad-message', message: parsed.error }));
      } else if (parsed.type === 'subscribe') {
        session.subscribe(parsed.deliveryId, parsed.afterSequence).catch((error: unknown) => {
          logger.warn(`subscribe to ${parsed.deliveryId} failed: ${String(error)}`);
        });
      } else if (parsed.type === 'unsubscribe') {
        session.unsubscribe(parsed.deliveryId);
      } else {
        session.watchFleet();
      }
    });
    ws.on('close', () => {
      clearTimeout(expiry);
      session.close();
      options.hub.remove(session);
      streamMetrics.disconnected();
    });
    ws.on('error', () => ws.terminate());
  };

  const pings = setInterval(() => {
    for (const ws of sockets.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, options.pingIntervalMs);
  pings.unref();

  return {
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(pings);
        for (const ws of sockets.clients)
          ws.close(1001, 'the gateway is shutting down; reconnect and resume');
        sockets.close(() => resolve());
      }),
  };
}

/** `Sec-WebSocket-Protocol: drone-delivery.stream.v1, bearer.<jwt>` → the jwt. */
function protocolToken(request: IncomingMessage): string | undefined {
  const offered =
    request.headers['sec-websocket-protocol']?.split(',').map((part) => part.trim()) ?? [];
  return offered
    .find((protocol) => protocol.startsWith(BEARER_PROTOCOL_PREFIX))
    ?.slice(BEARER_PROTOCOL_PREFIX.length);
}

/** Answers a refused upgrade with a problem document, as the API answers everything else. */
function refuse(
  socket: Duplex,
  status: number,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const title = STATUS_CODES[status] ?? 'Error';
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  const lines = [
    `HTTP/1.1 ${status} ${title}`,
    `content-type: ${PROBLEM_CONTENT_TYPE}`,
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
