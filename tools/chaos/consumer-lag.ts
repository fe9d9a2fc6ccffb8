import { type Admin } from 'kafkajs';

/** Messages of `topic` the group has not committed yet (all of them when it committed none). */
export async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [ends, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const committedOf = new Map(
    committed.partitions.map((partition) => [partition.partition, Number(partition.offset)]),
  );
  return ends.reduce((lag, end) => {
    const at = committedOf.get(end.partition) ?? -1;
    return lag + Number(end.high) - (at < 0 ? Number(end.low) : at);
  }, 0);
}

/** Polls the lag until it is 0: how long that took, or undefined if not within `timeoutMs`. */
export async function timeToZeroLag(
  admin: Admin,
  groupId: string,
  topic: string,
  timeoutMs: number,
): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const lag = await consumerLag(admin, groupId, topic).catch(() => undefined);
    if (lag === 0) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}
