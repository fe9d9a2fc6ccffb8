import { SingleBar } from 'cli-progress';
import { type DeliveryOutcome, type DeliveryRunEvent } from '@drone-delivery/demo-traffic';

/** What is known of the run so far, from the deliveries' events. */
class RunTally {
  completed = 0;
  failed = 0;
  timedOut = 0;
  /** Deliveries started and not finished, by what they are doing now. */
  private readonly inFlight = new Map<number, 'waiting for a drone' | 'scheduled' | 'in transit'>();
  readonly finished: DeliveryOutcome[] = [];

  record(event: DeliveryRunEvent): void {
    switch (event.type) {
      case 'retrying':
        this.inFlight.set(event.index, 'waiting for a drone');
        break;
      case 'scheduled':
        this.inFlight.set(event.index, 'scheduled');
        break;
      case 'stage':
        if (event.stage === 'DeliveryInTransit') this.inFlight.set(event.index, 'in transit');
        break;
      case 'finished':
        this.inFlight.delete(event.outcome.index);
        this.finished.push(event.outcome);
        if (event.outcome.result === 'completed') this.completed += 1;
        else if (event.outcome.result === 'failed') this.failed += 1;
        else this.timedOut += 1;
        break;
    }
  }

  get done(): number {
    return this.finished.length;
  }

  count(state: 'waiting for a drone' | 'scheduled' | 'in transit'): number {
    return [...this.inFlight.values()].filter((value) => value === state).length;
  }
}

export interface RunProgress {
  readonly tally: RunTally;
  onEvent(event: DeliveryRunEvent): void;
  stop(): void;
}

/** How often the line-by-line progress (stdout not a terminal) prints. */
const LINE_INTERVAL_MS = 5_000;

/**
 * A progress bar on a terminal; on anything else (CI logs, a pipe) one line every few seconds,
 * as a bar's carriage returns would make a mess of a log file.
 */
export function startProgress(
  total: number,
  stream: NodeJS.WriteStream = process.stdout,
): RunProgress {
  const tally = new RunTally();
  const payload = () => ({
    completed: tally.completed,
    failed: tally.failed,
    timedOut: tally.timedOut,
    waiting: tally.count('waiting for a drone'),
    scheduled: tally.count('scheduled'),
    inTransit: tally.count('in transit'),
  });

  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format:
        '{bar} {value}/{total} | completed {completed}, failed {failed}, timed out {timedOut}' +
        ' | in flight: {scheduled} scheduled, {inTransit} in transit, {waiting} waiting for a drone' +
        ' | {duration_formatted}',
      barsize: 30,
      hideCursor: true,
    });
    bar.start(total, 0, payload());
    return {
      tally,
      onEvent(event) {
        tally.record(event);
        bar.update(tally.done, payload());
      },
      stop: () => bar.stop(),
    };
  }

  const started = Date.now();
  const printLine = () => {
    const p = payload();
    const elapsed = Math.round((Date.now() - started) / 1_000);
    stream.write(
      `[${String(elapsed).padStart(4)}s] ${tally.done}/${total} done (completed ${p.completed}, ` +
        `failed ${p.failed}, timed out ${p.timedOut}); in flight: ${p.scheduled} scheduled, ` +
        `${p.inTransit} in transit, ${p.waiting} waiting for a drone\n`,
    );
  };
  const timer = setInterval(printLine, LINE_INTERVAL_MS);
  return {
    tally,
    onEvent: (event) => tally.record(event),
    stop() {
      clearInterval(timer);
      printLine();
    },
  };
}
