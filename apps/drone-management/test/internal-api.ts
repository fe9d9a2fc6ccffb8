import {
  type AssignmentView,
  DRONE_MANAGEMENT_SERVICE,
  type FieldError,
} from '@drone-delivery/contracts';
import { ServiceTokens } from '@drone-delivery/http';
import { testSigningKey } from '@drone-delivery/testing';

/** What a call to drone-management answered. */
export interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** An assignment when the call succeeded, a problem document (RFC 9457) when it did not. */
export interface AssignmentOrProblem extends AssignmentView {
  type?: string;
  title?: string;
  detail?: string;
  errors?: FieldError[];
  retryAfterSeconds?: number;
}

export type Call = <T>(
  method: string,
  path: string,
  body?: unknown,
  bearer?: string | null,
) => Promise<Answer<T>>;

/** A token as the scheduler mints it for drone-management. */
export function schedulerToken(
  audience = DRONE_MANAGEMENT_SERVICE,
  signingKey = testSigningKey(),
): Promise<string> {
  return new ServiceTokens({ serviceName: 'scheduler', signingKey }).tokenFor(audience);
}

/** Calls drone-management's internal API at `baseUrl` as the scheduler does, with `token`. */
export function internalApi(baseUrl: string, token: string): Call {
  return async <T>(method: string, path: string, body?: unknown, bearer: string | null = token) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(bearer && { authorization: `Bearer ${bearer}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  };
}
