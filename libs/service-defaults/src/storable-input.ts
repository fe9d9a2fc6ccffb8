import { type FieldError } from '@drone-delivery/contracts';

/**
 * Deeper than any request body of these APIs. class-transformer and class-validator recurse
 * into whatever JSON arrives: a body nested some thousand levels overflows their stack (a 500).
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * What in a request's body, query or path no layer behind the validation could take, as field
 * errors: nesting beyond MAX_INPUT_DEPTH, and text Postgres cannot store. Postgres refuses NUL
 * in text (22021, a 500 from the first INSERT that meets it), and a lone UTF-16 surrogate is not
 * Unicode: the driver would store U+FFFD in its place. Checked without recursion, so the check
 * itself cannot overflow.
 */
export function unstorableInput(value: unknown, root = ''): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; field: string; depth: number }[] = [
    { value, field: root, depth: 0 },
  ];
  while (pending.length > 0 && errors.length < 10) {
    const { value: current, field, depth } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) errors.push({ field: field || 'value', message: problem });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      errors.push({
        field: field || 'body',
        message: `is nested deeper than ${MAX_INPUT_DEPTH} levels`,
      });
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      const path = field ? `${field}.${key}` : key;
      const keyProblem = textProblem(key);
      if (keyProblem) errors.push({ field: path, message: `its name ${keyProblem}` });
      pending.push({ value: item, field: path, depth: depth + 1 });
    }
  }
  return errors;
}

/** In `u` mode a surrogate pair is one code point; only a lone surrogate is category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it holds a lone surrogate)';
  return undefined;
}
