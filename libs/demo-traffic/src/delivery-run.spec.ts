import {
  FakePublicApi,
  historyEntry,
  NO_DRONE_PROBLEM,
  scheduledDelivery,
  TEST_CREDENTIALS,
} from '../test/fake-public-api';
import { randomDeliveryRequest } from './delivery-requests';
import { type DeliveryRunEvent, runDelivery, timeToCompleted } from './delivery-run';
import { PublicApiClient } from './public-api.client';
import { runDeliveries } from './run-deliveries';

const SCHEDULE = /^\/api\/v1\/deliveries$/;
const HISTORY = /^\/api\/v1\/deliveries\/([^/]+)\/history$/;

describe('runDelivery', () => {
  let api: FakePublicApi;
  let client: PublicApiClient;

  beforeEach(async () => {
    api = new FakePublicApi();
    const url = await api.start();
    client = new PublicApiClient({ gatewayUrl: url, credentials: TEST_CREDENTIALS });
  });
  afterEach(() => api.stop());

  const run = (deadlineMs = 10_000, onEvent?: (event: DeliveryRunEvent) => void) =>
    runDelivery(client, randomDeliveryRequest(), {
      index: 7,
      idempotencyKey: 'key-7',
      deadline: Date.now() + deadlineMs,
      pollIntervalMs: 50,
      onEvent,
    });

  it('follows the history until Completed, and times it from the first attempt', async () => {
    api.on('POST', SCHEDULE, () => ({ status: 201, body: scheduledDelivery('d-1') }));
    let polls = 0;
    api.on('GET', HISTORY, () => {
      polls += 1;
      if (polls === 1) return { status: 404, body: { title: 'none yet' } };
      const entries = [historyEntry('DeliveryCreated', 1), historyEntry('DeliveryInTransit', 2)];
      if (polls >= 4) entries.push(historyEntry('DeliveryCompleted', 3));
      return { status: 200, body: entries };
    });
    const events: DeliveryRunEvent[] = [];

    const outcome = await run(10_000, (event) => events.push(event));

    expect(outcome).toMatchObject({
      index: 7,
      result: 'completed',
      deliveryId: 'd-1',
      scheduleAttempts: 1,
    });
    expect(outcome.timeToCompletedMs).toBeGreaterThanOrEqual(0);
    // Timed from the first attempt to the history read that showed Completed: it spans at least
    // the gap between those two requests as the fake API recorded them (an order, not a bound).
    const schedule = api.apiRequests.find((request) => SCHEDULE.test(request.path));
    const lastPoll = api.apiRequests.filter((request) => HISTORY.test(request.path)).at(-1);
    expect(outcome.timeToCompletedMs).toBeGreaterThanOrEqual(lastPoll!.at - schedule!.at);
    expect(api.apiRequests.filter((request) => HISTORY.test(request.path))).toHaveLength(4);
    expect(events.map((event) => (event.type === 'stage' ? event.stage : event.type))).toEqual([
      'scheduled',
      'DeliveryInTransit',
      'DeliveryCompleted',
      'finished',
    ]);
  });

  it('fails a delivery the scheduler refuses, with its problem document', async () => {
    const outOfArea = {
      type: 'https://drone-delivery.example/problems/outside-service-area',
      title: 'Outside the service area',
      status: 422,
    };
    api.on('POST', SCHEDULE, () => ({ status: 422, body: outOfArea }));

    await expect(run()).resolves.toMatchObject({ result: 'failed', problem: outOfArea });
  });

  it('fails a delivery whose history shows it cancelled', async () => {
    api.on('POST', SCHEDULE, () => ({ status: 201, body: scheduledDelivery('d-2') }));
    api.on('GET', HISTORY, () => ({
      status: 200,
      body: [historyEntry('DeliveryCreated', 1), historyEntry('DeliveryCancelled', 2)],
    }));

    await expect(run()).resolves.toMatchObject({
      result: 'failed',
      deliveryId: 'd-2',
      reason: expect.stringMatching(/cancelled/),
    });
  });

  it('times out a delivery not Completed by the deadline, saying where it stood', async () => {
    api.on('POST', SCHEDULE, () => ({ status: 201, body: scheduledDelivery('d-3') }));
    api.on('GET', HISTORY, () => ({ status: 200, body: [historyEntry('DeliveryInTransit', 2)] }));

    await expect(run(500)).resolves.toMatchObject({
      result: 'timed-out',
      deliveryId: 'd-3',
      reason: expect.stringMatching(/last event is DeliveryInTransit/),
    });
  });

  it('times out a delivery still refused with 503 at the deadline, with the last problem', async () => {
    api.on('POST', SCHEDULE, () => ({
      status: 503,
      headers: { 'retry-after': '1' },
      body: NO_DRONE_PROBLEM,
    }));

    await expect(run(1_500)).resolves.toMatchObject({
      result: 'timed-out',
      scheduleAttempts: 2,
      problem: NO_DRONE_PROBLEM,
    });
  });
});

describe('runDeliveries', () => {
  let api: FakePublicApi;
  let client: PublicApiClient;

  beforeEach(async () => {
    api = new FakePublicApi();
    const url = await api.start();
    client = new PublicApiClient({ gatewayUrl: url, credentials: TEST_CREDENTIALS });
  });
  afterEach(() => api.stop());

  it('keeps at most `concurrency` deliveries in flight and reports every one', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    let next = 0;
    const completedAfterPolls = new Map<string, number>();
    api.on('POST', SCHEDULE, () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const id = `d-${next++}`;
      completedAfterPolls.set(id, 3);
      return { status: 201, body: scheduledDelivery(id) };
    });
    api.on('GET', HISTORY, (request) => {
      const id = HISTORY.exec(request.path)?.[1] as string;
      const left = (completedAfterPolls.get(id) ?? 0) - 1;
      completedAfterPolls.set(id, left);
      if (left > 0) return { status: 200, body: [historyEntry('DeliveryCreated', 1)] };
      if (left === 0) inFlight -= 1;
      return { status: 200, body: [historyEntry('DeliveryCompleted', 2)] };
    });

    const outcomes = await runDeliveries({
      client,
      count: 7,
      concurrency: 3,
      deadline: Date.now() + 10_000,
      pollIntervalMs: 20,
      newRequest: () => randomDeliveryRequest(),
    });

    expect(outcomes.map((outcome) => [outcome.index, outcome.result])).toEqual(
      Array.from({ length: 7 }, (_, index) => [index, 'completed']),
    );
    expect(mostInFlight).toBe(3);
    const keys = new Set(api.apiRequests.map((request) => request.headers['idempotency-key']));
    expect(keys.size).toBe(8); // seven POSTs with keys of their own, plus undefined for GETs
  });

  it('times out deliveries not started before the deadline without a request', async () => {
    const outcomes = await runDeliveries({
      client,
      count: 3,
      concurrency: 2,
      deadline: Date.now() - 1,
      pollIntervalMs: 20,
      newRequest: () => randomDeliveryRequest(),
    });

    expect(outcomes.map((outcome) => outcome.reason)).toEqual([
      'not started before the timeout',
      'not started before the timeout',
      'not started before the timeout',
    ]);
    expect(api.apiRequests).toHaveLength(0);
  });
});

describe('timeToCompleted', () => {
  it("uses the event's time when it falls between the start and the moment it was seen", () => {
    expect(timeToCompleted(1_000, new Date(4_000).toISOString(), 5_000)).toBe(3_000);
  });

  it('falls back to the moment it was seen when the clocks disagree', () => {
    expect(timeToCompleted(1_000, new Date(500).toISOString(), 5_000)).toBe(4_000);
    expect(timeToCompleted(1_000, new Date(9_000).toISOString(), 5_000)).toBe(4_000);
    expect(timeToCompleted(1_000, 'not a date', 5_000)).toBe(4_000);
  });
});
