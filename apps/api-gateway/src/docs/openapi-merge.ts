import { type OpenAPIObject } from '@nestjs/swagger';

export interface ServiceDocument {
  service: string;
  /** The service's OpenAPI document, or null when it could not be fetched. */
  document: OpenAPIObject | null;
}

export const PUBLIC_PATH_PREFIX = '/api/v1/';

const SCHEMA_REF = '#/components/schemas/';

/**
 * One OpenAPI document for the public API out of the services' own: only their /api/v1 paths,
 * their schemas (renamed `<Service><Name>` where two services mean different things by one
 * name), a bearer security scheme for every call, and a note naming any service left out.
 */
export function mergePublicDocuments(documents: ServiceDocument[]): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  const schemas: Record<string, unknown> = {};
  const tags = new Map<string, { name: string; description?: string }>();
  const missing: string[] = [];

  for (const { service, document } of documents) {
    if (!document) {
      missing.push(service);
      continue;
    }
    const renames = new Map<string, string>();
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      const taken = schemas[name];
      if (taken === undefined || JSON.stringify(taken) === JSON.stringify(schema)) continue;
      renames.set(name, `${pascalCase(service)}${name}`);
    }
    const own = renameRefs(
      {
        paths: Object.fromEntries(
          Object.entries(document.paths ?? {}).filter(([path]) => isPublicPath(path)),
        ),
        schemas: Object.fromEntries(
          Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => [
            renames.get(name) ?? name,
            schema,
          ]),
        ),
      },
      renames,
    );
    Object.assign(paths, own.paths);
    Object.assign(schemas, own.schemas);
    for (const tag of document.tags ?? []) tags.set(tag.name, tag);
  }

  const note =
    missing.length > 0
      ? `\n\nLeft out for now, as they did not answer: ${missing.join(', ')}. Reload to try again.`
      : '';
  return {
    openapi: '3.0.0',
    info: {
      title: 'Drone Delivery public API',
      version: '1',
      description:
        'Every call goes through the API gateway and needs an access token from the identity ' +
        'provider at /identity (client credentials, or authorization code with PKCE).' +
        note,
    },
    paths,
    components: {
      schemas: schemas as NonNullable<OpenAPIObject['components']>['schemas'],
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: [{ bearer: [] }],
    tags: [...tags.values()],
  };
}

function isPublicPath(path: string): boolean {
  return path.startsWith(PUBLIC_PATH_PREFIX) || path === PUBLIC_PATH_PREFIX.slice(0, -1);
}

function renameRefs<T>(value: T, renames: Map<string, string>): T {
  if (renames.size === 0) return value;
  return JSON.parse(JSON.stringify(value), (key, entry: unknown) => {
    if (key !== '$ref' || typeof entry !== 'string' || !entry.startsWith(SCHEMA_REF)) return entry;
    const name = entry.slice(SCHEMA_REF.length);
    return `${SCHEMA_REF}${renames.get(name) ?? name}`;
  }) as T;
}

function pascalCase(service: string): string {
  return service
    .split('-')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');
}
