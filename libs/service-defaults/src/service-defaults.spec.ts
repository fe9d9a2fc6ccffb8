import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Module } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsString, Min, ValidateNested } from 'class-validator';
import { isProblemDetails, type ProblemDetails } from '@drone-delivery/contracts';
import { InternalApi, ServiceTokens } from '@drone-delivery/http';
import { QueryFailedError } from 'typeorm';
import { applyServiceDefaults } from './create-service-app';
import { testSigningKey, testTrustedKeys, untrustedSigningKey } from '@drone-delivery/testing';

class PackageDto {
  @IsIn(['small', 'medium', 'large']) size!: string;
  @IsNumber() @Min(0) weightKg!: number;
}
class OrderDto {
  @IsString() name!: string;
  @ValidateNested() @Type(() => PackageDto) package!: PackageDto;
}

@Controller()
class ExampleController {
  @Post('orders')
  create(@Body() body: OrderDto): OrderDto {
    return body;
  }

  @Get('orders/:id')
  find(@Param('id', new ParseUUIDPipe({ version: undefined })) id: string): { id: string } {
    return { id };
  }

  @Get('internal/ping')
  @InternalApi({ callers: ['scheduler'] })
  ping(): { ok: true } {
    return { ok: true };
  }

  /** As a repository's save fails when Postgres refuses a value (22021: NUL in text). */
  @Get('refused-by-postgres')
  refusedByPostgres(): never {
    const driverError = Object.assign(
      new Error('invalid byte sequence for encoding "UTF8": 0x00'),
      {
        code: '22021',
      },
    );
    throw new QueryFailedError('INSERT INTO packages …', [], driverError);
  }

  /** As a query fails while the database restarts (57P01: terminating connection). */
  @Get('database-away')
  databaseAway(): never {
    const driverError = Object.assign(
      new Error('terminating connection due to administrator command'),
      {
        code: '57P01',
      },
    );
    throw new QueryFailedError('SELECT …', [], driverError);
  }

  @Get('boom')
  boom(): never {
    throw new Error('database password is hunter2');
  }
}

@Module({
  controllers: [ExampleController],
  providers: [
    {
      provide: ServiceTokens,
      useValue: new ServiceTokens({
        serviceName: 'package',
        trustedKeys: testTrustedKeys(['scheduler', 'delivery-history']),
      }),
    },
  ],
})
class ExampleModule {}

describe('service defaults', () => {
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ExampleModule] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    applyServiceDefaults(app, { serviceName: 'example', description: 'test' });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
  });

  const post = (body: string) =>
    fetch(`${url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it('answers malformed JSON with a 400 problem', async () => {
    const response = await post('{"name": ');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const body = (await response.json()) as ProblemDetails;
    expect(isProblemDetails(body)).toBe(true);
    expect(body.detail).toMatch(/JSON/);
  });

  it('lists every invalid and unknown field, nested ones by path', async () => {
    const response = await post(
      JSON.stringify({ name: 7, package: { size: 'huge', weightKg: -1 }, colour: 'red' }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as ProblemDetails;
    const fields = (body.errors ?? []).map((error) => error.field).sort();
    expect(fields).toEqual(['colour', 'name', 'package.size', 'package.weightKg']);
  });

  it('accepts a valid body', async () => {
    const order = { name: 'x', package: { size: 'small', weightKg: 1 } };
    const response = await post(JSON.stringify(order));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual(order);
  });

  it('answers a non-UUID id with 400, not 500', async () => {
    const response = await fetch(`${url}/orders/not-a-uuid`);
    expect(response.status).toBe(400);
    expect(isProblemDetails(await response.json())).toBe(true);
  });

  it('answers text Postgres cannot store, NUL or a lone surrogate, with a 400 naming the field', async () => {
    for (const name of ['a\u0000b', 'a\ud800b']) {
      const response = await post(
        JSON.stringify({ name, package: { size: 'small', weightKg: 1 } }),
      );
      expect(response.status).toBe(400);
      const body = (await response.json()) as ProblemDetails;
      expect(body.errors?.map((error) => error.field)).toEqual(['name']);
    }
    const inPath = await fetch(`${url}/orders/%00`);
    expect(inPath.status).toBe(400);
    expect((await inPath.json()) as ProblemDetails).toMatchObject({
      errors: [{ field: 'id' }],
    });
  });

  it('answers a body nested deeper than any API needs with a 400, not a stack overflow', async () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const response = await post(`{"name":"x","package":${deep}}`);
    expect(response.status).toBe(400);
    expect(isProblemDetails(await response.json())).toBe(true);
  });

  it('answers a value Postgres refused (a data exception) with a 400 problem', async () => {
    const response = await fetch(`${url}/refused-by-postgres`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(isProblemDetails(await response.json())).toBe(true);
  });

  it('keeps idle connections longer than the gateway keeps them in its pool (30 s)', async () => {
    const response = await fetch(`${url}/orders/not-a-uuid`);
    expect(response.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('answers a database outage with 503 and Retry-After, not a 500', async () => {
    const response = await fetch(`${url}/database-away`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(((await response.json()) as ProblemDetails).detail).toMatch(/unavailable/);
  });

  it('hides the details of unexpected errors', async () => {
    const response = await fetch(`${url}/boom`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('hunter2');
  });

  it('echoes the caller correlation id, or makes one', async () => {
    const given = await fetch(`${url}/orders/not-a-uuid`, {
      headers: { 'x-correlation-id': 'abc-123' },
    });
    expect(given.headers.get('x-correlation-id')).toBe('abc-123');
    const made = await fetch(`${url}/orders/not-a-uuid`);
    expect(made.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('internal routes', () => {
    const call = (token?: string) =>
      fetch(`${url}/internal/ping`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    it('accept a token addressed to this service', async () => {
      const scheduler = new ServiceTokens({
        serviceName: 'scheduler',
        signingKey: testSigningKey(),
      });
      expect((await call(await scheduler.tokenFor('package'))).status).toBe(200);
    });

    it('reject a missing, forged or expired token with 401', async () => {
      expect((await call()).status).toBe(401);
      const forger = new ServiceTokens({
        serviceName: 'scheduler',
        signingKey: untrustedSigningKey(),
      });
      expect((await call(await forger.tokenFor('package'))).status).toBe(401);
      const expired = new ServiceTokens({
        serviceName: 'scheduler',
        signingKey: testSigningKey(),
        ttlSeconds: -60,
      });
      const response = await call(await expired.tokenFor('package'));
      expect(response.status).toBe(401);
      expect(((await response.json()) as ProblemDetails).detail).toMatch(/expired/);
    });

    it('reject a token for another service with 403', async () => {
      const scheduler = new ServiceTokens({
        serviceName: 'scheduler',
        signingKey: testSigningKey(),
      });
      expect((await call(await scheduler.tokenFor('delivery'))).status).toBe(403);
    });

    it('reject a genuine token from a service the route does not name with 403', async () => {
      const history = new ServiceTokens({
        serviceName: 'delivery-history',
        signingKey: testSigningKey('delivery-history'),
      });
      const response = await call(await history.tokenFor('package'));
      expect(response.status).toBe(403);
      expect(((await response.json()) as ProblemDetails).detail).toMatch(
        /delivery-history may not call/,
      );
    });
  });
});
