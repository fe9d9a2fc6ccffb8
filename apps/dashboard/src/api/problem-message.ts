import { type ProblemDetails } from '@drone-delivery/contracts';

/** An error as a person reads it: a headline, what it means, and which fields to fix. */
export interface PlainMessage {
  headline: string;
  explanation: string;
  fields: string[];
}

/**
 * What a status means to someone using the dashboard, for problem documents whose detail is
 * missing (or for answers that are not problem documents at all).
 */
const STATUS_EXPLANATIONS: Record<number, string> = {
  400: 'Some of what you entered is not accepted.',
  401: 'Your sign-in has ended. Sign in again to continue.',
  403: 'Your account is not allowed to do this.',
  404: 'It does not exist, or it belongs to another account.',
  405: 'This action is not available here.',
  409: 'It has changed in the meantime, so this action no longer applies.',
  422: 'The request was understood but cannot be carried out.',
  429: 'Too many requests at once.',
  500: 'Something went wrong on our side.',
  502: 'A service did not answer properly.',
  503: 'A service is unavailable at the moment. Try again shortly.',
  504: 'A service took too long to answer. Try again shortly.',
};

/** Ends with a full stop (APIs write details as clauses: "the dropoff is…"). */
const punctuated = (text: string) => {
  const trimmed = text.trim();
  return trimmed === '' || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};
const sentence = (text: string) => {
  const trimmed = punctuated(text);
  return trimmed === '' ? trimmed : trimmed[0].toUpperCase() + trimmed.slice(1);
};

/** Seconds to wait, from the problem's extension or the Retry-After header. */
function retryAfterSeconds(
  problem: Partial<ProblemDetails>,
  retryAfter?: string | null,
): number | null {
  const fromProblem = problem.retryAfterSeconds;
  if (typeof fromProblem === 'number' && fromProblem > 0) return Math.ceil(fromProblem);
  const fromHeader = Number(retryAfter);
  return Number.isFinite(fromHeader) && fromHeader > 0 ? Math.ceil(fromHeader) : null;
}

/** RFC 9457 problem document (or anything an API answered) → words for the page. */
export function problemMessage(
  problem: unknown,
  status: number,
  retryAfter?: string | null,
): PlainMessage {
  const document: Partial<ProblemDetails> =
    typeof problem === 'object' && problem !== null ? problem : {};
  const effectiveStatus = typeof document.status === 'number' ? document.status : status;
  const headline = sentence(
    typeof document.title === 'string' && document.title !== ''
      ? document.title
      : `The request failed (${effectiveStatus})`,
  );
  let explanation =
    typeof document.detail === 'string' && document.detail.trim() !== ''
      ? sentence(document.detail)
      : (STATUS_EXPLANATIONS[effectiveStatus] ??
        (effectiveStatus >= 500 ? STATUS_EXPLANATIONS[500] : STATUS_EXPLANATIONS[400]));
  const wait = retryAfterSeconds(document, retryAfter);
  if (wait !== null) {
    explanation += ` Try again in ${wait} second${wait === 1 ? '' : 's'}.`;
  }
  const fields = Array.isArray(document.errors)
    ? document.errors
        .filter((error) => typeof error?.message === 'string')
        .map((error) => {
          const message = punctuated(error.message);
          // Field messages usually start with the field's name already ("weightKg must be…").
          const field = typeof error.field === 'string' ? error.field : '';
          return field && !error.message.startsWith(field.split('.').at(-1) ?? field)
            ? `${field}: ${message}`
            : message;
        })
    : [];
  return { headline, explanation, fields };
}

/** When the gateway could not be reached at all (offline, restarting, blocked). */
export function networkFailureMessage(): PlainMessage {
  return {
    headline: 'The service could not be reached.',
    explanation: 'Check your connection; the page tries again when you repeat the action.',
    fields: [],
  };
}
