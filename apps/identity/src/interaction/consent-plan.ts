import { CUSTOMER_SCOPE, OPERATOR_SCOPE } from '@drone-delivery/http';
import { type UserScope } from '../users/user.entity';

/** The API scopes: a person holds exactly one of them. */
const API_SCOPES = new Set<string>([CUSTOMER_SCOPE, OPERATOR_SCOPE]);

/** What the consent prompt says is not granted yet (oidc-provider's prompt details). */
export interface MissingScopes {
  missingOIDCScope?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

export interface ScopeDecision {
  granted: string[];
  rejected: string[];
}

export interface ConsentPlan {
  oidc: ScopeDecision;
  resources: Record<string, ScopeDecision>;
}

/**
 * What a person's consent grants an application: every identity scope it asked for (openid,
 * email), and of the API scopes only the one the person holds; the rest are recorded as
 * rejected, so the application is not asked again and its token names what was granted.
 */
export function planConsent(missing: MissingScopes, userScope: UserScope): ConsentPlan {
  const decide = (scopes: string[] = []): ScopeDecision => ({
    granted: scopes.filter((scope) => !API_SCOPES.has(scope) || scope === userScope),
    rejected: scopes.filter((scope) => API_SCOPES.has(scope) && scope !== userScope),
  });
  return {
    oidc: decide(missing.missingOIDCScope),
    resources: Object.fromEntries(
      Object.entries(missing.missingResourceScopes ?? {}).map(([resource, scopes]) => [
        resource,
        decide(scopes),
      ]),
    ),
  };
}

/** The scopes the plan grants, each once, to describe them on the consent page. */
export function grantedScopes(plan: ConsentPlan): string[] {
  return [
    ...new Set([
      ...plan.oidc.granted,
      ...Object.values(plan.resources).flatMap((decision) => decision.granted),
    ]),
  ];
}
