/**
 * `/metrics` of a real app built by createServiceApp (Nest 12 on Express 5): request durations
 * labelled by route template, 404s without a route as `unmatched`, and the endpoint open to
 * Prometheus even where every Nest route needs a service token.
 */
import { Controller, Get, Module, NotFoundException, Param } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { InternalApi, ServiceTokens } from '@drone-delivery/http';
import {
  METRICS_CONTENT_TYPE,
  metricSampleValue,
  parseMetricSamples,
} from '@drone-delivery/observability';
import { createServiceApp } from './create-service-app';
import { testSigningKey, testTrustedKeys } from '@drone-delivery/testing';

// Every Nest route needs a token: /metrics must not.
@InternalApi({ callers: ['scheduler'] })
@Controller('deliveries')
class DeliveriesController {
  @Get(':deliveryId')
  find(@Param('deliveryId') deliveryId: string): { deliveryId: string } {
    if (deliveryId === 'missing') throw new NotFoundException('no such delivery');
    return { deliveryId };
  }
}

@Module({
  controllers: [DeliveriesController],
  providers: [
    {
      provide: ServiceTokens,
      useValue: new ServiceTokens({ serviceName: 'delivery', trustedKeys: testTrustedKeys() }),
    },
  ],
})
class DeliveriesModule {}

describe('metrics of a service app', () => {
  let app: NestExpressApplication;
  let url: string;
  let authorization: string;

  beforeAll(async () => {
    app = await createServiceApp(DeliveriesModule, {
      serviceName: 'delivery',
      description: 'test',
      logLevel: 'fatal',
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    const scheduler = new ServiceTokens({ serviceName: 'scheduler', signingKey: testSigningKey() });
    authorization = `Bearer ${await scheduler.tokenFor('delivery')}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  const get = (path: string) => fetch(`${url}${path}`, { headers: { authorization } });

  async function scrape(): Promise<string> {
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(METRICS_CONTENT_TYPE);
    return response.text();
  }

  const requests = (text: string, labels: Record<string, string>) =>
    metricSampleValue(text, 'http_server_request_duration_seconds_count', {
      service: 'delivery',
      ...labels,
    });

  it('counts requests by route template and status, never by raw path', async () => {
    expect((await get('/deliveries/d-1')).status).toBe(200);
    expect((await get('/deliveries/d-2')).status).toBe(200);
    expect((await get('/deliveries/missing')).status).toBe(404);
    expect((await fetch(`${url}/deliveries/d-3`)).status).toBe(401);

    const text = await scrape();
    const route = '/deliveries/:deliveryId';
    expect(requests(text, { method: 'GET', route, status_code: '200' })).toBe(2);
    // A 404 the handler answered still has its route.
    expect(requests(text, { method: 'GET', route, status_code: '404' })).toBe(1);
    expect(requests(text, { method: 'GET', route, status_code: '401' })).toBe(1);
    const routes = parseMetricSamples(text)
      .filter((sample) => sample.name === 'http_server_request_duration_seconds_count')
      .map((sample) => sample.labels.route);
    expect(routes.filter((label) => /d-\d/.test(label))).toEqual([]);
  });

  it('labels 404s that matched no route `unmatched`', async () => {
    expect((await get('/no/such/path/4711')).status).toBe(404);
    expect((await get('/deliveries')).status).toBe(404);

    const text = await scrape();
    expect(requests(text, { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(2);
    expect(text).not.toContain('4711');
  });

  it('counts its own scrapes under the /metrics route', async () => {
    await scrape();
    const text = await scrape();
    expect(
      requests(text, { method: 'GET', route: '/metrics', status_code: '200' }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('serves the default process metrics', async () => {
    const text = await scrape();
    expect(
      metricSampleValue(text, 'process_resident_memory_bytes', { service: 'delivery' }),
    ).toBeGreaterThan(0);
  });

  it('stays out of the OpenAPI document', async () => {
    const response = await fetch(`${url}/docs-json`);
    expect(response.status).toBe(200);
    const { paths } = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(paths)).toEqual(['/deliveries/{deliveryId}']);
  });
});
