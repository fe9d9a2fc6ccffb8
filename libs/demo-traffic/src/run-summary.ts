import { type DeliveryOutcome } from './delivery-run';
import { problemSummary } from './public-api.client';

export interface ReasonCount {
  reason: string;
  count: number;
  /** A few delivery ids (or `#index` when never scheduled) that ended this way. */
  examples: string[];
}

export interface RunSummary {
  count: number;
  completed: number;
  failed: number;
  timedOut: number;
  totalMs: number;
  /** Completed deliveries per second of the whole run. */
  completedPerSecond: number;
  /** Time to Completed of the completed deliveries, when there are any. */
  timeToCompletedMs?: { p50: number; p95: number; max: number };
  slowest: { deliveryId: string; timeToCompletedMs: number }[];
  failures: ReasonCount[];
  timeouts: ReasonCount[];
}

const EXAMPLES = 3;

export function summarizeRun(
  outcomes: DeliveryOutcome[],
  totalMs: number,
  slowestCount = 5,
): RunSummary {
  const completed = outcomes.filter((outcome) => outcome.result === 'completed');
  const times = completed.map((outcome) => outcome.timeToCompletedMs ?? 0).sort((a, b) => a - b);
  return {
    count: outcomes.length,
    completed: completed.length,
    failed: outcomes.filter((outcome) => outcome.result === 'failed').length,
    timedOut: outcomes.filter((outcome) => outcome.result === 'timed-out').length,
    totalMs,
    completedPerSecond: totalMs > 0 ? completed.length / (totalMs / 1_000) : 0,
    ...(times.length > 0 && {
      timeToCompletedMs: {
        p50: percentile(times, 0.5),
        p95: percentile(times, 0.95),
        max: times[times.length - 1],
      },
    }),
    slowest: completed
      .map((outcome) => ({
        deliveryId: outcome.deliveryId as string,
        timeToCompletedMs: outcome.timeToCompletedMs ?? 0,
      }))
      .sort((a, b) => b.timeToCompletedMs - a.timeToCompletedMs)
      .slice(0, slowestCount),
    failures: countReasons(outcomes.filter((outcome) => outcome.result === 'failed')),
    timeouts: countReasons(outcomes.filter((outcome) => outcome.result === 'timed-out')),
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], share: number): number {
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)];
}

/** Why each ended as it did: the problem document in one line, else the reason. */
export function outcomeReason(outcome: DeliveryOutcome): string {
  const problem = outcome.problem ? problemSummary(outcome.problem) : undefined;
  if (problem && outcome.reason) return `${outcome.reason}: last answer ${problem}`;
  return problem ?? outcome.reason ?? 'no reason given';
}

function countReasons(outcomes: DeliveryOutcome[]): ReasonCount[] {
  const byReason = new Map<string, ReasonCount>();
  for (const outcome of outcomes) {
    const reason = outcomeReason(outcome);
    const entry = byReason.get(reason) ?? { reason, count: 0, examples: [] };
    entry.count += 1;
    if (entry.examples.length < EXAMPLES) {
      entry.examples.push(outcome.deliveryId ?? `#${outcome.index}`);
    }
    byReason.set(reason, entry);
  }
  return [...byReason.values()].sort((a, b) => b.count - a.count);
}

const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;

/** The summary as the simulate command prints it. */
export function formatRunSummary(summary: RunSummary): string {
  const lines = [
    `deliveries: ${summary.count}  completed: ${summary.completed}  failed: ${summary.failed}  timed out: ${summary.timedOut}`,
    `total time: ${seconds(summary.totalMs)}  throughput: ${summary.completedPerSecond.toFixed(2)} completed/s`,
  ];
  if (summary.timeToCompletedMs) {
    const { p50, p95, max } = summary.timeToCompletedMs;
    lines.push(`time to Completed: p50 ${seconds(p50)}  p95 ${seconds(p95)}  max ${seconds(max)}`);
  }
  if (summary.slowest.length > 0) {
    lines.push('slowest deliveries (time to Completed):');
    for (const { deliveryId, timeToCompletedMs } of summary.slowest) {
      lines.push(`  ${deliveryId}  ${seconds(timeToCompletedMs)}`);
    }
  }
  for (const [title, reasons] of [
    ['failures', summary.failures],
    ['timeouts', summary.timeouts],
  ] as const) {
    if (reasons.length === 0) continue;
    lines.push(`${title}:`);
    for (const { reason, count, examples } of reasons) {
      lines.push(`  ${count} × ${reason}`, `      e.g. ${examples.join(', ')}`);
    }
  }
  return lines.join('\n');
}
