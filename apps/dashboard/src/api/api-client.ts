import { session } from '../auth/session';
import { networkFailureMessage, type PlainMessage, problemMessage } from './problem-message';

/** A failed API call, with the words to show for it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly plain: PlainMessage,
  ) {
    super(`${plain.headline} ${plain.explanation}`);
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * One way to call the gateway: the signed-in person's bearer token, JSON both ways, errors as
 * ApiError from the problem document. A 401 renews the token once and repeats the call.
 */
export async function api<T>(path: string, request: ApiRequest = {}): Promise<T> {
  let response = await send(path, request, await session.accessToken());
  if (response.status === 401) response = await send(path, request, await session.renew());
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  if (!response.ok) {
    throw new ApiError(
      response.status,
      problemMessage(body, response.status, response.headers.get('retry-after')),
    );
  }
  return body as T;
}

async function send(path: string, request: ApiRequest, token: string): Promise<Response> {
  try {
    return await fetch(path, {
      method: request.method ?? 'GET',
      headers: {
        accept: 'application/json, application/problem+json',
        authorization: `Bearer ${token}`,
        ...(request.body !== undefined && { 'content-type': 'application/json' }),
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, networkFailureMessage());
  }
}

/** Words for any error thrown by a call (ApiError or not). */
export function plainMessageOf(error: unknown): PlainMessage {
  if (error instanceof ApiError) return error.plain;
  return {
    headline: 'Something went wrong.',
    explanation: error instanceof Error ? error.message : String(error),
    fields: [],
  };
}
