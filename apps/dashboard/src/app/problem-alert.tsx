import { type PlainMessage } from '../api/problem-message';

/** An API error in words, announced to screen readers as it appears. */
export function ProblemAlert({ message }: { message: PlainMessage | undefined }) {
  if (!message) return null;
  return (
    <div class="problem" role="alert" data-testid="problem">
      <p>
        <strong>{message.headline}</strong> {message.explanation}
      </p>
      {message.fields.length > 0 && (
        <ul>
          {message.fields.map((field) => (
            <li key={field}>{field}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
