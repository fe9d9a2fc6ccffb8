import { useState } from 'preact/hooks';
import { api, plainMessageOf } from '../api/api-client';
import { type DeadLetterPage, type RedriveResult } from '../api/api-types';
import { type PlainMessage } from '../api/problem-message';
import { formatDateTime } from '../app/format';
import { ProblemAlert } from '../app/problem-alert';
import { onLinkClick } from '../app/router';
import { useApi } from '../app/use-api';

/** One dead-letter topic: its messages (why each failed) and a redrive back to the source. */
export function DeadLettersPage({ topic }: { topic: string }) {
  const path = `/api/v1/operations/dead-letters/${encodeURIComponent(topic)}`;
  const page = useApi<DeadLetterPage>(`${path}?limit=50`);
  const [problem, setProblem] = useState<PlainMessage>();
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const items = page.data?.items ?? [];

  const redrive = async () => {
    setBusy(true);
    setProblem(undefined);
    setResult('');
    try {
      const answer = await api<RedriveResult>(`${path}/redrive`, { method: 'POST' });
      setResult(
        `${answer.redriven} message${answer.redriven === 1 ? '' : 's'} sent back to their source topic.`,
      );
      page.reload();
    } catch (error) {
      setProblem(plainMessageOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Dead letters: {topic}</h1>
      <p>
        <a href="/operations" onClick={onLinkClick}>
          Back to operations
        </a>
      </p>
      <ProblemAlert message={page.error} />
      <ProblemAlert message={problem} />
      <p role="status" data-testid="redrive-result">
        {result}
      </p>
      <p>
        <button type="button" disabled={busy || items.length === 0} onClick={() => void redrive()}>
          Redrive all messages
        </button>{' '}
        <button type="button" onClick={page.reload}>
          Refresh
        </button>
      </p>
      {page.data && items.length === 0 && <p>This topic holds no messages.</p>}
      {items.length > 0 && (
        <table data-testid="dead-letters">
          <caption>
            The first {items.length} message{items.length === 1 ? '' : 's'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Position</th>
              <th scope="col">Reason</th>
              <th scope="col">From</th>
              <th scope="col">Attempts</th>
              <th scope="col">Dead-lettered</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={`${item.partition}-${item.offset}`} data-testid="dead-letter">
                <th scope="row">
                  {item.partition}/{item.offset}
                </th>
                <td>
                  {item.reason}
                  {item.errorType && <span class="muted"> ({item.errorType})</span>}
                </td>
                <td>
                  {item.sourceTopic} {item.sourcePartition ?? '?'}/{item.sourceOffset ?? '?'}
                  {item.consumerGroup && <span class="muted"> by {item.consumerGroup}</span>}
                </td>
                <td>{item.attempts ?? '—'}</td>
                <td>{formatDateTime(item.deadLetteredAt)}</td>
                <td>
                  <details>
                    <summary>
                      Key {item.key ?? '(none)'}, {item.valueBytes} bytes
                    </summary>
                    <pre>{item.value}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
