import { type HistoryEntry } from './stream-frames';
import { type DeliveryAccess } from './stream-session';

/** delivery-history's largest page: a long history is read in few requests. */
const HISTORY_PAGE = 500;

/** The path of a `Link` header's rel="next" target, when it names one on the same service. */
export function nextPage(link: string | null): string | undefined {
  const match = link?.match(/<(\/api\/v1\/[^>]+)>\s*;\s*rel="next"/);
  return match?.[1];
}

/**
 * The stream's reads of the public services, made with the subscriber's own token, so each
 * service's ownership rule decides what the client may follow: delivery's status answers 404 for
 * another account's delivery, and the replay comes from delivery-history's own answer.
 */
export class HttpDeliveryAccess implements DeliveryAccess {
  constructor(
    private readonly deliveryUrl: string,
    private readonly historyUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async authorize(deliveryId: string, bearer: string): Promise<'ok' | 'not-found' | 'unavailable'> {
    const response = await this.get(`${this.deliveryUrl}/api/v1/deliveries/${deliveryId}`, bearer);
    await response.body?.cancel();
    if (response.status === 200) return 'ok';
    // 401 and 403 too: a token that no longer passes may follow nothing.
    if ([401, 403, 404].includes(response.status)) return 'not-found';
    return 'unavailable';
  }

  /** Reads delivery-history's pages after `afterSequence`, following its `Link: rel="next"`. */
  async history(
    deliveryId: string,
    bearer: string,
    afterSequence: number,
  ): Promise<HistoryEntry[]> {
    const entries: HistoryEntry[] = [];
    let next: string | undefined =
      `/api/v1/deliveries/${deliveryId}/history?afterSequence=${afterSequence}&limit=${HISTORY_PAGE}`;
    while (next) {
      const url = `${this.historyUrl}${next}`;
      const response = await this.get(url, bearer);
      if (response.status === 404) {
        await response.body?.cancel();
        break;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new Error(`${url} answered ${response.status}`);
      }
      entries.push(...((await response.json()) as HistoryEntry[]));
      next = nextPage(response.headers.get('link'));
    }
    return entries.sort((a, b) => a.sequence - b.sequence);
  }

  private get(url: string, bearer: string): Promise<Response> {
    return fetch(url, {
      headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }
}
