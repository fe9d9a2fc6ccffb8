import { type Admin } from 'kafkajs';
import { Client } from 'pg';
import { TOPICS } from '@drone-delivery/contracts';
import { type ChaosApi } from './chaos-api';
import { type DeliveryIntent } from './chaos-load';
import { type ServiceName } from './chaos-system';

export type ProblemKind = 'lost' | 'doubled' | 'unfinished' | 'other';

export interface AuditResult {
  accepted: number;
  /** Deliveries in delivery's database that no answer told the load about (it gave up first). */
  acceptedUnanswered: number;
  completed: number;
  cancelled: number;
  lost: number;
  doubled: number;
  unfinished: number;
  unfinishedSagas: number;
  dronesLeftAssigned: number;
  orphanedPackages: number;
  deadLetters: Record<string, number>;
  notifications: {
    subscriptions: number;
    records: number;
    webhookCalls: number;
    /** Calls beyond the first per (subscription, event): at-least-once at work. */
    repeatedCalls: number;
  };
  problems: { kind: ProblemKind; what: string }[];
}

const TERMINAL = new Set(['Completed', 'Cancelled']);

async function rows<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

interface HistoryEntry {
  eventId: string;
  type: string;
  sequence: number;
}

/** Every page of a delivery's history, following `Link: <…>; rel="next"`. */
async function fullHistory(api: ChaosApi, deliveryId: string): Promise<HistoryEntry[] | string> {
  const entries: HistoryEntry[] = [];
  let next: string | undefined = `/api/v1/deliveries/${deliveryId}/history`;
  for (let page = 0; next && page < 100; page++) {
    const answer = await api.call('GET', next);
    if (answer.status !== 200) return `history answered ${answer.status || 'nothing'}`;
    entries.push(...(answer.body as HistoryEntry[]));
    next = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('link') ?? '')?.[1];
  }
  return entries;
}

/** The checks of one accepted delivery against its public status and history. */
async function auditThroughApi(
  api: ChaosApi,
  intent: DeliveryIntent,
  problem: (kind: ProblemKind, what: string) => void,
): Promise<{ stage?: string; terminalEventId?: string }> {
  const id = intent.deliveryId!;
  const status = await api.call('GET', `/api/v1/deliveries/${id}`);
  if (status.status !== 200) {
    problem('lost', `${id}: GET /deliveries answered ${status.status || 'nothing'}`);
    return {};
  }
  const stage = (status.body as { stage: string }).stage;
  if (!TERMINAL.has(stage)) problem('unfinished', `${id}: still ${stage}`);
  const history = await fullHistory(api, id);
  if (typeof history === 'string') {
    problem('lost', `${id}: ${history}`);
    return { stage };
  }
  const sequences = history.map((entry) => entry.sequence);
  const expected = history.map((_, index) => index + 1);
  if (sequences.join() !== expected.join()) {
    const repeated = new Set(sequences).size < sequences.length;
    problem(repeated ? 'doubled' : 'lost', `${id}: history sequences ${sequences.join(',')}`);
  }
  if (new Set(history.map((entry) => entry.eventId)).size < history.length) {
    problem('doubled', `${id}: an event id appears twice in its history`);
  }
  const count = (type: string) => history.filter((entry) => entry.type === type).length;
  const expectOne = (type: string) => {
    const n = count(type);
    if (n !== 1) problem(n === 0 ? 'lost' : 'doubled', `${id}: ${n} × ${type}`);
  };
  expectOne('DeliveryCreated');
  if (stage === 'Completed') {
    expectOne('DeliveryInTransit');
    expectOne('DeliveryCompleted');
    if (count('DeliveryCancelled') > 0) problem('doubled', `${id}: Completed and Cancelled`);
  }
  if (stage === 'Cancelled') {
    expectOne('DeliveryCancelled');
    if (count('DeliveryInTransit') > 1) problem('doubled', `${id}: InTransit twice`);
    if (count('DeliveryCompleted') > 0) problem('doubled', `${id}: Cancelled and Completed`);
  }
  if (intent.cancel === 'cancelled' && stage !== 'Cancelled') {
    problem('lost', `${id}: cancel answered 200 but the delivery is ${stage}`);
  }
  const rescheduled = count('DeliveryRescheduled');
  const tally = intent.reschedule ?? { ok: 0, mayHaveApplied: 0 };
  if (rescheduled < tally.ok)
    problem('lost', `${id}: ${tally.ok} reschedules answered 200, ${rescheduled} in history`);
  if (rescheduled > tally.mayHaveApplied) {
    problem(
      'doubled',
      `${id}: ${rescheduled} × DeliveryRescheduled for ${tally.mayHaveApplied} PATCH(es)`,
    );
  }
  const last = history.at(-1);
  if (last && TERMINAL.has(stage) && last.type !== `Delivery${stage}`) {
    problem('other', `${id}: status ${stage} but history ends with ${last.type}`);
  }
  return { stage, terminalEventId: last?.eventId };
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  for (let index = 0; index < items.length; index += size) {
    await Promise.all(items.slice(index, index + size).map(work));
  }
}

/**
 * After quiescence: what the load was told, checked against the public API and against each
 * service's own database, plus the dead-letter topics and the notification records.
 */
export async function audit(options: {
  api: ChaosApi;
  intents: DeliveryIntent[];
  databaseUrls: Record<ServiceName, string>;
  admin: Admin;
  webhookCalls: Map<string, number>;
}): Promise<AuditResult> {
  const problems: AuditResult['problems'] = [];
  const problem = (kind: ProblemKind, what: string) => problems.push({ kind, what });
  const { databaseUrls: db } = options;
  const accepted = options.intents.filter((intent) => intent.outcome === 'accepted');

  for (const intent of accepted) {
    if (intent.deliveryIds.length > 1) {
      problem(
        'doubled',
        `key ${intent.idempotencyKey}: deliveries ${intent.deliveryIds.join(', ')}`,
      );
    }
  }

  const deliveries = await rows<{
    id: string;
    stage: string;
    last_sequence: number;
    package_id: string;
  }>(db.delivery, 'SELECT id, stage, last_sequence, package_id FROM deliveries');
  const deliveryById = new Map(deliveries.map((row) => [row.id, row]));
  for (const intent of accepted) {
    if (!deliveryById.has(intent.deliveryId!)) {
      problem('lost', `${intent.deliveryId}: accepted, but not in delivery's database`);
    }
  }
  for (const row of deliveries) {
    if (!TERMINAL.has(row.stage))
      problem('unfinished', `${row.id}: ${row.stage} in delivery's database`);
  }

  const sagas = await rows<{
    request_id: string;
    state: string;
    delivery_id: string;
    idempotency_key: string | null;
  }>(db.scheduler, 'SELECT request_id, state, delivery_id, idempotency_key FROM saga_log');
  const unfinishedSagas = sagas.filter(
    (saga) => saga.state === 'pending' || saga.state === 'compensating',
  );
  for (const saga of unfinishedSagas)
    problem('unfinished', `saga ${saga.request_id}: ${saga.state}`);
  const succeeded = sagas.filter((saga) => saga.state === 'succeeded');
  const succeededIds = new Set(succeeded.map((saga) => saga.delivery_id));
  for (const saga of succeeded) {
    if (!deliveryById.has(saga.delivery_id)) {
      problem('lost', `saga ${saga.request_id} succeeded, delivery ${saga.delivery_id} missing`);
    }
  }
  for (const row of deliveries) {
    // A Cancelled delivery without a succeeded saga is a compensation at work: its PUT landed
    // unanswered, the saga failed, and the sweep cancelled it. Anything else is one too many.
    if (!succeededIds.has(row.id) && row.stage !== 'Cancelled')
      problem('doubled', `${row.id}: a ${row.stage} delivery without a succeeded saga`);
  }
  const knownIds = new Set(accepted.map((intent) => intent.deliveryId));
  const acceptedUnanswered = deliveries.filter((row) => !knownIds.has(row.id)).length;

  const [drones] = await rows<{ assigned: string; active: string }>(
    db['drone-management'],
    `SELECT (SELECT count(*) FROM drones WHERE status = 'assigned') AS assigned,
            (SELECT count(*) FROM assignments WHERE status = 'active') AS active`,
  );
  const dronesLeftAssigned = Math.max(Number(drones.assigned), Number(drones.active));
  if (dronesLeftAssigned > 0) {
    problem(
      'unfinished',
      `${drones.assigned} drone(s) assigned, ${drones.active} active assignment(s)`,
    );
  }

  const packages = await rows<{ id: string }>(db.package, 'SELECT id FROM packages');
  const deliveredPackages = new Set(deliveries.map((row) => row.package_id));
  const orphans = packages.filter((row) => !deliveredPackages.has(row.id));
  for (const orphan of orphans) problem('other', `package ${orphan.id}: no delivery has it`);

  const timelines = await rows<{
    delivery_id: string;
    events: string;
    sequences: string;
    top: number;
  }>(
    db['delivery-history'],
    `SELECT delivery_id, count(*) AS events, count(DISTINCT sequence) AS sequences,
            max(sequence) AS top FROM timeline_events GROUP BY delivery_id`,
  );
  const timelineOf = new Map(timelines.map((row) => [row.delivery_id, row]));
  for (const row of deliveries) {
    const timeline = timelineOf.get(row.id);
    const events = Number(timeline?.events ?? 0);
    if (events < row.last_sequence) {
      problem(
        'lost',
        `${row.id}: ${row.last_sequence} events written, ${events} in delivery-history`,
      );
    } else if (events > row.last_sequence || Number(timeline?.sequences) < events) {
      problem(
        'doubled',
        `${row.id}: ${row.last_sequence} events written, ${events} in delivery-history`,
      );
    }
  }

  const terminalEventOf = new Map<string, string | undefined>();
  let completed = 0;
  let cancelled = 0;
  await inBatches(accepted, 8, async (intent) => {
    const { stage, terminalEventId } = await auditThroughApi(options.api, intent, problem);
    if (stage === 'Completed') completed += 1;
    if (stage === 'Cancelled') cancelled += 1;
    terminalEventOf.set(intent.deliveryId!, terminalEventId);
  });

  const deadLetters: Record<string, number> = {};
  const topics = new Set(await options.admin.listTopics());
  for (const topic of Object.values(TOPICS).map((entry) => `${entry.name}.dlq`)) {
    if (!topics.has(topic)) {
      deadLetters[topic] = 0;
      continue;
    }
    const offsets = await options.admin.fetchTopicOffsets(topic);
    deadLetters[topic] = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    if (deadLetters[topic] > 0)
      problem('other', `${deadLetters[topic]} dead letter(s) in ${topic}`);
  }

  const subscribed = accepted.filter((intent) => intent.subscriptionId);
  const records = await rows<{ subscription_id: string; event_id: string; status: string }>(
    db.delivery,
    'SELECT subscription_id, event_id, status FROM notification_deliveries',
  );
  const recordKeys = new Set<string>();
  for (const record of records) {
    const key = `${record.subscription_id}/${record.event_id}`;
    if (recordKeys.has(key)) problem('doubled', `notification ${key} recorded twice`);
    recordKeys.add(key);
    if (record.status !== 'sent') problem('other', `notification ${key}: ${record.status}`);
    else if (!options.webhookCalls.has(key))
      problem('lost', `notification ${key}: recorded sent, never received`);
  }
  for (const key of options.webhookCalls.keys()) {
    if (!recordKeys.has(key)) problem('other', `notification ${key}: received, not recorded`);
  }
  for (const intent of subscribed) {
    const terminal = terminalEventOf.get(intent.deliveryId!);
    if (terminal && !recordKeys.has(`${intent.subscriptionId}/${terminal}`)) {
      problem('lost', `${intent.deliveryId}: no notification of its last event`);
    }
  }
  const calls = [...options.webhookCalls.values()];

  const count = (kind: ProblemKind) => problems.filter((entry) => entry.kind === kind).length;
  return {
    accepted: accepted.length,
    acceptedUnanswered,
    completed,
    cancelled,
    lost: count('lost'),
    doubled: count('doubled'),
    unfinished: count('unfinished'),
    unfinishedSagas: unfinishedSagas.length,
    dronesLeftAssigned,
    orphanedPackages: orphans.length,
    deadLetters,
    notifications: {
      subscriptions: subscribed.length,
      records: records.length,
      webhookCalls: calls.reduce((sum, n) => sum + n, 0),
      repeatedCalls: calls.reduce((sum, n) => sum + n - 1, 0),
    },
    problems,
  };
}
