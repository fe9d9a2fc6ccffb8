import { type OpenAPIObject } from '@nestjs/swagger';
import { mergePublicDocuments } from './openapi-merge';

function documentOf(paths: string[], schemas: Record<string, object>): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 'a service', version: '1' },
    paths: Object.fromEntries(
      paths.map((path) => [
        path,
        {
          get: {
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/View' } } },
              },
            },
          },
        },
      ]),
    ),
    components: { schemas },
  };
}

describe('mergePublicDocuments', () => {
  it('keeps only the public paths of every service', () => {
    const merged = mergePublicDocuments([
      { service: 'scheduler', document: documentOf(['/api/v1/deliveries', '/internal/v1/x'], {}) },
      {
        service: 'delivery',
        document: documentOf(['/api/v1/deliveries/{id}', '/health/ready'], {}),
      },
    ]);

    expect(Object.keys(merged.paths)).toEqual(['/api/v1/deliveries', '/api/v1/deliveries/{id}']);
    expect(merged.security).toEqual([{ bearer: [] }]);
  });

  it('renames a schema two services define differently, and the references to it', () => {
    const merged = mergePublicDocuments([
      { service: 'delivery', document: documentOf(['/api/v1/a'], { View: { title: 'one' } }) },
      {
        service: 'delivery-history',
        document: documentOf(['/api/v1/b'], { View: { title: 'two' } }),
      },
    ]);

    expect(merged.components?.schemas).toEqual({
      View: { title: 'one' },
      DeliveryHistoryView: { title: 'two' },
    });
    expect(JSON.stringify(merged.paths['/api/v1/b'])).toContain(
      '#/components/schemas/DeliveryHistoryView',
    );
    expect(JSON.stringify(merged.paths['/api/v1/a'])).toContain('#/components/schemas/View"');
  });

  it('names the services left out', () => {
    const merged = mergePublicDocuments([
      { service: 'scheduler', document: null },
      { service: 'delivery', document: documentOf(['/api/v1/a'], {}) },
    ]);

    expect(merged.info.description).toMatch(/did not answer: scheduler\./);
    expect(Object.keys(merged.paths)).toEqual(['/api/v1/a']);
  });
});
