import { type AuditResult } from './chaos-audit';
import { type FaultRecord, seconds } from './chaos-faults';
import { type LoadResult } from './chaos-load';

export interface ChaosReport {
  mode: 'ci' | 'full';
  startedAt: string;
  load: {
    durationMs: number;
    requests: number;
    intents: number;
    accepted: number;
    refused: number;
    gaveUp: number;
    answers: Record<string, number>;
    rescheduled: { asked: number; ok: number; conflict: number };
    cancels: Record<string, number>;
  };
  kills: Record<string, number>;
  /** Deaths the run did not cause (a service that exited by itself). */
  crashes: Record<string, number>;
  faults: FaultRecord[];
  quiescenceMs: number;
  audit: AuditResult;
  passed: boolean;
}

/** Each fault's recovery: the next delivery accepted after it. */
export function withRecoveryTimes(faults: FaultRecord[], load: LoadResult): FaultRecord[] {
  const acceptedAt = load.intents
    .flatMap((intent) => (intent.acceptedAt ? [intent.acceptedAt] : []))
    .sort((a, b) => a - b);
  return faults
    .map((fault) => {
      const next = acceptedAt.find((at) => at >= fault.at);
      return { ...fault, nextAcceptedMs: next === undefined ? undefined : next - fault.at };
    })
    .sort((a, b) => a.at - b.at);
}

export function loadSummary(load: LoadResult): ChaosReport['load'] {
  const by = (outcome: string) =>
    load.intents.filter((intent) => intent.outcome === outcome).length;
  const cancels: Record<string, number> = {};
  const rescheduled = { asked: 0, ok: 0, conflict: 0 };
  for (const intent of load.intents) {
    if (intent.cancel) cancels[intent.cancel] = (cancels[intent.cancel] ?? 0) + 1;
    if (intent.reschedule) {
      rescheduled.asked += 1;
      rescheduled.ok += intent.reschedule.ok;
      rescheduled.conflict += intent.reschedule.conflict;
    }
  }
  return {
    durationMs: load.endedAt - load.startedAt,
    requests: load.requests,
    intents: load.intents.length,
    accepted: by('accepted'),
    refused: by('refused'),
    gaveUp: by('gave-up'),
    answers: Object.fromEntries(Object.entries(load.answers).sort()),
    rescheduled,
    cancels,
  };
}

const ms = (value: number | undefined) => (value === undefined ? '—' : seconds(value));

export function formatReport(report: ChaosReport): string {
  const { load, audit } = report;
  const rows: [string, string][] = [
    [
      'load',
      `${seconds(load.durationMs)}, ${load.requests} requests, ${load.intents} deliveries asked`,
    ],
    [
      'answers',
      Object.entries(load.answers)
        .map(([key, n]) => `${key}: ${n}`)
        .join(', '),
    ],
    [
      'reschedules',
      `${load.rescheduled.asked} asked, ${load.rescheduled.ok} ok, ${load.rescheduled.conflict} too late (409)`,
    ],
    [
      'cancels',
      Object.entries(load.cancels)
        .map(([key, n]) => `${key}: ${n}`)
        .join(', ') || '—',
    ],
    [
      'kills',
      Object.entries(report.kills)
        .map(([name, n]) => `${name} ${n}`)
        .join(', '),
    ],
    [
      'crashes (not ours)',
      Object.entries(report.crashes)
        .map(([name, n]) => `${name} ${n}`)
        .join(', ') || 'none',
    ],
    [
      'restarts',
      report.faults
        .filter((fault) => fault.kind !== 'kill')
        .map((fault) => `${fault.target} (${ms(fault.downMs)})`)
        .join(', '),
    ],
    [
      'accepted',
      `${audit.accepted} (+${audit.acceptedUnanswered} the load gave up on), ${load.refused} refused for good, ${load.gaveUp} given up`,
    ],
    ['completed', String(audit.completed)],
    ['cancelled', String(audit.cancelled)],
    ['lost', String(audit.lost)],
    ['doubled', String(audit.doubled)],
    [
      'unfinished',
      `${audit.unfinished} (sagas ${audit.unfinishedSagas}, drones ${audit.dronesLeftAssigned})`,
    ],
    ['orphaned packages', String(audit.orphanedPackages)],
    [
      'dead letters',
      Object.entries(audit.deadLetters)
        .map(([topic, n]) => `${topic} ${n}`)
        .join(', '),
    ],
    [
      'notifications',
      `${audit.notifications.subscriptions} subscriptions, ${audit.notifications.records} records, ${audit.notifications.webhookCalls} calls (${audit.notifications.repeatedCalls} repeats)`,
    ],
    ['quiescence', seconds(report.quiescenceMs)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`);
  lines.push(
    '',
    'recovery after each fault (next accepted delivery; service ready / server back; delivery-history lag 0):',
  );
  for (const fault of report.faults) {
    lines.push(
      `  +${seconds(fault.at - Date.parse(report.startedAt)).padStart(8)}  ${`${fault.kind} ${fault.target}`.padEnd(36)}` +
        ` next accepted ${ms(fault.nextAcceptedMs).padStart(7)}  back ${ms(fault.downMs).padStart(7)}` +
        (fault.lagZeroMs !== undefined || fault.kind !== 'kill'
          ? `  lag 0 ${ms(fault.lagZeroMs)}`
          : ''),
    );
  }
  if (audit.problems.length > 0) {
    lines.push('', `problems (${audit.problems.length}):`);
    for (const problem of audit.problems.slice(0, 50))
      lines.push(`  ${problem.kind}: ${problem.what}`);
  }
  lines.push(
    '',
    report.passed
      ? 'PASSED: nothing lost, doubled or left unfinished'
      : 'FAILED: see the problems above',
  );
  return lines.join('\n');
}
