import { type DeliveryStage, type DroneFlightState } from '@drone-delivery/contracts';

/**
 * How telemetry moves a delivery: state-based, not edge-based. Each report is read as evidence
 * of where the package is, never as "the drone changed state", so a lost, late or repeated report
 * cannot wedge or double a transition:
 * - `flying-to-dropoff` proves the package is on board: a Created or Rescheduled delivery is
 *   InTransit;
 * - `unloading` proves it is being dropped off: the delivery is Completed, whatever came before;
 * - so does a report naming the delivery as `completedDeliveryId`: the drone has unloaded it and
 *   its assignment is complete. drone-management names it on the way home, while charging and on
 *   becoming idle, so a drone back home closes its delivery even when every earlier report of
 *   the flight was lost;
 * - `returning`, `charging` or `idle` for this delivery without that say nothing by themselves: a
 *   drone also flies home after a cancelled or re-planned flight, and may idle or charge before
 *   its flight. They prove the drop-off only once the package was seen on board before them.
 * A delivery that skips InTransit (its `flying-to-dropoff` reports were lost) still passes
 * through it, so its history always reads Created → InTransit → Completed.
 */

/** Flight states of a drone whose package has left it, once it was on board. */
const AFTER_DROPOFF: ReadonlySet<DroneFlightState> = new Set([
  'unloading',
  'returning',
  'charging',
  'idle',
]);

export interface ReportEvidence {
  /** The state in the report being applied (which may be late). */
  reported: DroneFlightState;
  /** The state in the newest report applied to the delivery, this one included. */
  newest: DroneFlightState;
  /** The report names this delivery as the one the drone has completed. */
  completed?: boolean;
}

/**
 * The stages the delivery moves through because of a report, in order; empty when the report
 * proves nothing new. Completed and Cancelled deliveries never move.
 */
export function stagesProvenBy(stage: DeliveryStage, evidence: ReportEvidence): DeliveryStage[] {
  if (stage === 'Completed' || stage === 'Cancelled') return [];
  const wasOnBoard = stage === 'InTransit' || evidence.reported === 'flying-to-dropoff';
  const delivered =
    evidence.completed === true ||
    evidence.reported === 'unloading' ||
    (wasOnBoard && AFTER_DROPOFF.has(evidence.newest));
  const stages: DeliveryStage[] = [];
  if ((wasOnBoard || delivered) && stage !== 'InTransit') stages.push('InTransit');
  if (delivered) stages.push('Completed');
  return stages;
}

export interface ReportOrder {
  time: Date;
  /** The drone's telemetry sequence: orders reports with the same time. */
  sequence: number;
}

/** Whether `report` is newer than the newest one applied so far (none: every report is). */
export function isNewerReport(report: ReportOrder, applied: ReportOrder | null): boolean {
  if (applied === null) return true;
  const byTime = report.time.getTime() - applied.time.getTime();
  return byTime > 0 || (byTime === 0 && report.sequence > applied.sequence);
}
