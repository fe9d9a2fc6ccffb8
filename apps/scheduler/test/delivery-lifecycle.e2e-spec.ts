import { DEMO_ACCOUNTS, type DeliveryStatusView } from '@drone-delivery/contracts';
import { testKafkaBrokers, waitFor } from '@drone-delivery/testing';
import { type RunningSystem, startSystem } from './running-system';

/**
 * The whole system, both paths: a delivery scheduled over HTTP is flown by the simulator, its
 * drone's telemetry drives it to Completed in delivery, and delivery's outbox events build its
 * history in delivery-history.
 */

interface HistoryEntry {
  eventId: string;
  type: string;
  sequence: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

const ORDER = {
  accountId: DEMO_ACCOUNTS.active.accountId,
  pickup: { lat: 47.6101, lng: -122.3421 },
  dropoff: { lat: 47.6205, lng: -122.3493 },
  package: { size: 'small', weightKg: 1.2 },
};

describe('a delivery from POST to Completed, through Kafka', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({
      fleetSize: 4,
      timeScale: 300,
      kafkaBrokers: testKafkaBrokers().join(','),
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  /** As the customer of the demo account: every public route wants its access token. */
  const asCustomer = async (headers: Record<string, string> = {}) => ({
    ...headers,
    authorization: await system.issuer.bearer({ accountId: ORDER.accountId }),
  });

  async function schedule(body: unknown = ORDER): Promise<{ deliveryId: string; droneId: string }> {
    const response = await fetch(`${system.scheduler.url}/api/v1/deliveries`, {
      method: 'POST',
      headers: await asCustomer({ 'content-type': 'application/json' }),
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { deliveryId: string; droneId: string };
    // The whole answer on failure: a problem document says which step refused.
    expect({ status: response.status, answer }).toMatchObject({ status: 201 });
    return answer;
  }

  const status = async (deliveryId: string) =>
    (await (
      await fetch(`${system.delivery.url}/api/v1/deliveries/${deliveryId}`, {
        headers: await asCustomer(),
      })
    ).json()) as DeliveryStatusView;

  /** Waits until the history holds `types`, in this order, and returns it. */
  async function historyOf(deliveryId: string, types: string[]): Promise<HistoryEntry[]> {
    return waitFor(
      async () => {
        const response = await fetch(
          `${system.history.url}/api/v1/deliveries/${deliveryId}/history`,
          { headers: await asCustomer() },
        );
        if (response.status !== 200) return undefined;
        const history = (await response.json()) as HistoryEntry[];
        return history.map((entry) => entry.type).join() === types.join() ? history : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 250, description: `history ${types.join(', ')}` },
    );
  }

  it('reaches Completed on its own; its history is Created, InTransit, Completed', async () => {
    const { deliveryId, droneId } = await schedule();
    const history = await historyOf(deliveryId, [
      'DeliveryCreated',
      'DeliveryInTransit',
      'DeliveryCompleted',
    ]);
    expect(history.map((entry) => entry.sequence)).toEqual([1, 2, 3]);
    expect(new Set(history.map((entry) => entry.eventId)).size).toBe(3);
    expect(history[2].data).toMatchObject({ deliveryId, droneId });

    const final = await status(deliveryId);
    expect(final.stage).toBe('Completed');
    // The drone's last report before it turned home was at the dropoff.
    expect(final.lastKnownLocation?.lat).toBeCloseTo(ORDER.dropoff.lat, 2);
    expect(final.lastKnownLocation?.lng).toBeCloseTo(ORDER.dropoff.lng, 2);
  });

  it('records reschedules and cancellations in the history', async () => {
    // A pickup far from every base, so the drone is still on its way when the changes arrive.
    const far = {
      ...ORDER,
      pickup: { lat: 47.78, lng: -122.2 },
      dropoff: { lat: 47.79, lng: -122.21 },
    };
    const rescheduled = await schedule(far);
    const patch = await fetch(
      `${system.scheduler.url}/api/v1/deliveries/${rescheduled.deliveryId}`,
      {
        method: 'PATCH',
        headers: await asCustomer({ 'content-type': 'application/json' }),
        body: JSON.stringify({ dropoff: { lat: 47.795, lng: -122.215 } }),
      },
    );
    expect(patch.status).toBe(200);
    const history = await historyOf(rescheduled.deliveryId, [
      'DeliveryCreated',
      'DeliveryRescheduled',
      'DeliveryInTransit',
      'DeliveryCompleted',
    ]);
    expect(history.map((entry) => entry.sequence)).toEqual([1, 2, 3, 4]);
    expect(history[1].data).toMatchObject({ dropoff: { lat: 47.795, lng: -122.215 } });

    const cancelled = await schedule(far);
    const cancel = await fetch(
      `${system.scheduler.url}/api/v1/deliveries/${cancelled.deliveryId}`,
      { method: 'DELETE', headers: await asCustomer() },
    );
    expect(cancel.status).toBe(200);
    await historyOf(cancelled.deliveryId, ['DeliveryCreated', 'DeliveryCancelled']);
    expect((await status(cancelled.deliveryId)).stage).toBe('Cancelled');
  });
});
