import { ConsoleLogger, type DynamicModule, type LogLevel, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  CORRELATION_ID_HEADER,
  currentCorrelationId,
  withCorrelationId,
} from '@drone-delivery/http';
import { currentTraceIds } from '@drone-delivery/observability/tracing';
import { ProblemDetailsFilter } from './problem-details.filter';
import { requestValidationPipe } from './request-validation.pipe';
import { serveMetrics } from './metrics.middleware';

export interface ServiceAppOptions {
  /** e.g. `scheduler`; names the logs and the OpenAPI document. */
  serviceName: string;
  description: string;
  /** `LOG_LEVEL`: error, warn, log (default), debug or verbose. */
  logLevel?: LogLevel;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Structured JSON logs, one object a line, each with the service, the correlation id and the
 * trace and span ids, so a log line leads to its trace and back.
 */
class ServiceLogger extends ConsoleLogger {
  protected override getJsonLogObject(
    message: unknown,
    options: Parameters<ConsoleLogger['getJsonLogObject']>[1],
  ): ReturnType<ConsoleLogger['getJsonLogObject']> {
    const correlationId = currentCorrelationId();
    return {
      ...super.getJsonLogObject(message, options),
      ...(correlationId && { correlationId }),
      ...currentTraceIds(),
    };
  }
}

export function serviceLogger(options: ServiceAppOptions): ConsoleLogger {
  const level = options.logLevel ?? 'log';
  return new ServiceLogger(options.serviceName, {
    json: true,
    logLevels: LEVELS.slice(0, LEVELS.indexOf(level) + 1),
  });
}

/**
 * Builds a service's HTTP app with what every service has: JSON logs, correlation ids, RFC 9457
 * errors, validated request bodies, OpenAPI at /docs and graceful shutdown on SIGTERM/SIGINT.
 * The caller runs its migrations and calls `listen`.
 */
export async function createServiceApp(
  module: Type | DynamicModule,
  options: ServiceAppOptions,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    logger: serviceLogger(options),
  });
  applyServiceDefaults(app, options);
  return app;
}

/**
 * How long an idle keep-alive connection stays open (announced as `Keep-Alive: timeout=65`).
 * Callers pool connections and must close idle ones first: were the server first, a request
 * sent on a connection it is closing dies as "socket hang up", a 502 at the gateway. Node's
 * default (5 s) is shorter than the gateway proxy's pool keeps them; 65 s is well above it.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function applyServiceDefaults(
  app: NestExpressApplication,
  options: ServiceAppOptions,
): void {
  const server = app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number };
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node wants the headers' timeout above the keep-alive one.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  serveMetrics(app, options.serviceName);
  app.use(
    (
      request: { headers: Record<string, string | string[] | undefined> },
      response: { setHeader(name: string, value: string): void },
      next: () => void,
    ) => {
      const incoming = request.headers[CORRELATION_ID_HEADER];
      withCorrelationId(typeof incoming === 'string' ? incoming : undefined, () => {
        response.setHeader(CORRELATION_ID_HEADER, currentCorrelationId() as string);
        next();
      });
    },
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(requestValidationPipe());
  app.enableShutdownHooks();
  const document = new DocumentBuilder()
    .setTitle(options.serviceName)
    .setDescription(options.description)
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, document));
}
