import { type HistoryEntry } from './stream-frames';
import { type DeliveryAccess } from './stream-session';

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

  async history(deliveryId: string, bearer: string): Promise<HistoryEntry[]> {
    const url = `${this.historyUrl}/api/v1/deliveries/${deliveryId}/history`;
    const response = await this.get(url, bearer);
    if (response.status === 404) {
      await response.body?.cancel();
      return [];
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`${url} answered ${response.status}`);
    }
    const entries = (await response.json()) as HistoryEntry[];
    return [...entries].sort((a, b) => a.sequence - b.sequence);
  }

  private get(url: string, bearer: string): Promise<Response> {
    return fetch(url, {
      headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }
}
