import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { type Caller, mayAccessAccount } from '@drone-delivery/http';
import { fieldErrorsProblem } from '@drone-delivery/service-defaults';
import { type HistoryEvent } from '../ingestion/history-event';
import { type DeliverySearchPageDto, type DeliverySummaryDto } from './delivery-search-page.dto';
import { DeliverySummary } from './delivery-summary.entity';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor';
import { type SearchDeliveriesQueryDto } from './search-deliveries-query.dto';
import { otherAccountSearchProblem } from './search-problems';

@Injectable()
export class SearchService {
  constructor(
    @InjectRepository(DeliverySummary) private readonly summaries: Repository<DeliverySummary>,
  ) {}

  /**
   * Folds one event into its delivery's summary, inside the caller's transaction. Order-free:
   * the stage follows the highest sequence, whichever arrives last, and account and creation
   * time are filled in whenever DeliveryCreated arrives. One upsert, so concurrent events of one
   * delivery (e.g. during a rebalance) cannot lose each other's changes.
   *
   * One exception to "the highest sequence wins": a delivery in transit stays InTransit through a
   * later DeliveryRescheduled. Delivery records a re-plan that drone-management accepted before
   * pickup even when the drone's InTransit report got there first, so the two can come in
   * either order; in both, the package is on board.
   */
  async applyEvent(manager: EntityManager, event: HistoryEvent): Promise<void> {
    const createdAt = event.name === 'DeliveryCreated' ? event.occurredAt : null;
    await manager.query(
      `INSERT INTO delivery_summaries AS s
         (delivery_id, account_id, stage, latest_sequence, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (delivery_id) DO UPDATE SET
         account_id = COALESCE(s.account_id, EXCLUDED.account_id),
         created_at = COALESCE(s.created_at, EXCLUDED.created_at),
         stage = CASE
                   WHEN 'InTransit' IN (s.stage, EXCLUDED.stage)
                        AND 'Rescheduled' IN (s.stage, EXCLUDED.stage) THEN 'InTransit'
                   WHEN EXCLUDED.latest_sequence > s.latest_sequence THEN EXCLUDED.stage
                   ELSE s.stage
                 END,
         updated_at = CASE WHEN EXCLUDED.latest_sequence > s.latest_sequence
                           THEN EXCLUDED.updated_at ELSE s.updated_at END,
         latest_sequence = GREATEST(s.latest_sequence, EXCLUDED.latest_sequence)`,
      [event.deliveryId, event.accountId, event.stage, event.sequence, createdAt, event.occurredAt],
    );
  }

  /**
   * The account a delivery belongs to, as its DeliveryCreated says; null when that event has not
   * been received (or nothing of the delivery has).
   */
  async findAccountOf(deliveryId: string): Promise<string | null> {
    const summary = await this.summaries.findOne({
      select: { deliveryId: true, accountId: true },
      where: { deliveryId },
    });
    return summary?.accountId ?? null;
  }

  /**
   * An account's deliveries created in [from, to), newest first, one page at a time: the
   * caller's own account for a customer; the account named, or every account, for an operator.
   */
  async searchDeliveries(
    query: SearchDeliveriesQueryDto,
    caller: Caller,
  ): Promise<DeliverySearchPageDto> {
    const accountId = accountToSearch(query, caller);
    const from = query.from === undefined ? undefined : new Date(query.from);
    const to = query.to === undefined ? undefined : new Date(query.to);
    if (from && to && from.getTime() >= to.getTime()) {
      throw fieldErrorsProblem([{ field: 'from', message: 'from must be before to' }]);
    }
    const after = query.cursor === undefined ? undefined : decodeSearchCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw fieldErrorsProblem([
        { field: 'cursor', message: 'cursor must be the nextCursor of a previous page' },
      ]);
    }

    const search = this.summaries
      .createQueryBuilder('summary')
      // Deliveries whose DeliveryCreated has not arrived belong to no account yet.
      .where('summary.accountId IS NOT NULL')
      .orderBy('summary.createdAt', 'DESC')
      .addOrderBy('summary.deliveryId', 'DESC')
      // One more than asked tells whether there is a next page.
      .limit(query.limit + 1);
    if (accountId !== undefined) search.andWhere('summary.accountId = :accountId', { accountId });
    if (from) search.andWhere('summary.createdAt >= :from', { from });
    if (to) search.andWhere('summary.createdAt < :to', { to });
    if (after) {
      search.andWhere('(summary.createdAt, summary.deliveryId) < (:afterCreatedAt, :afterId)', {
        afterCreatedAt: after.createdAt,
        afterId: after.deliveryId,
      });
    }
    const found = await search.getMany();

    const page = found.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toSummaryView),
      nextCursor:
        found.length > query.limit && last
          ? encodeSearchCursor({ createdAt: last.createdAt as Date, deliveryId: last.deliveryId })
          : null,
    };
  }
}

/** The account a search covers; undefined (an operator naming none) for every account. */
function accountToSearch(query: SearchDeliveriesQueryDto, caller: Caller): string | undefined {
  if (caller.operator) return query.accountId;
  const accountId = query.accountId ?? caller.accountId;
  // mayAccessAccount refuses a customer without an account too: no customer searches them all.
  if (accountId === null || !mayAccessAccount(caller, accountId)) {
    throw otherAccountSearchProblem();
  }
  return accountId;
}

/** Only deliveries whose DeliveryCreated has arrived match an account, so both are set. */
function toSummaryView(summary: DeliverySummary): DeliverySummaryDto {
  return {
    deliveryId: summary.deliveryId,
    accountId: summary.accountId as string,
    stage: summary.stage,
    createdAt: (summary.createdAt as Date).toISOString(),
    updatedAt: summary.updatedAt.toISOString(),
  };
}
