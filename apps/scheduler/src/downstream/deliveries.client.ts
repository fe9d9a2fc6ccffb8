import {
  DELIVERY_QUOTA_EXCEEDED_PROBLEM,
  DELIVERY_SERVICE,
  type DeliveryView,
  isProblemDetails,
  type PatchDeliveryRequest,
  type PutDeliveryRequest,
} from '@drone-delivery/contracts';
import { type DownstreamClient, type DownstreamResponse } from '@drone-delivery/http';
import { DownstreamRejection, UnexpectedAnswerError } from './downstream-errors';

/** delivery's 429 on PUT: the account already has as many deliveries in flight as it may. */

/** delivery's internal API (libs/contracts internal-api/deliveries.ts), typed. */
export class DeliveriesClient {
  constructor(private readonly http: DownstreamClient) {}

  /**
   * Writes the delivery and its DeliveryCreated event. Idempotent: a retry answers 200. Throws
   * DownstreamRejection with 429 DELIVERY_QUOTA_EXCEEDED_PROBLEM when the account has too many in flight.
   */
  async createDelivery(deliveryId: string, request: PutDeliveryRequest): Promise<DeliveryView> {
    const response = await this.http.request<DeliveryView>({
      method: 'PUT',
      path: `/internal/v1/deliveries/${deliveryId}`,
      body: request,
    });
    if (response.status === 200 || response.status === 201) return response.body;
    if (isQuotaExceeded(response)) throw new DownstreamRejection(DELIVERY_SERVICE, response);
    throw new UnexpectedAnswerError(DELIVERY_SERVICE, response.status, response.body);
  }

  /** The delivery, or null when there is none with this id. */
  async findDelivery(deliveryId: string): Promise<DeliveryView | null> {
    const response = await this.http.request<DeliveryView>({
      method: 'GET',
      path: `/internal/v1/deliveries/${deliveryId}`,
    });
    if (response.status === 200) return response.body;
    if (response.status === 404) return null;
    throw new UnexpectedAnswerError(DELIVERY_SERVICE, response.status, response.body);
  }

  /** Reschedules (stage Rescheduled). Rejections: 404, 409 (Completed or Cancelled), 400. */
  async reschedule(deliveryId: string, request: PatchDeliveryRequest): Promise<DeliveryView> {
    const response = await this.http.request<DeliveryView>({
      method: 'PATCH',
      path: `/internal/v1/deliveries/${deliveryId}`,
      body: request,
    });
    if (response.status === 200) return response.body;
    if ([400, 404, 409].includes(response.status)) {
      throw new DownstreamRejection(DELIVERY_SERVICE, response);
    }
    throw new UnexpectedAnswerError(DELIVERY_SERVICE, response.status, response.body);
  }

  /**
   * Cancels; idempotent (a cancelled delivery answers 200 again). Rejections: 404, 409 (Completed).
   */
  async cancel(deliveryId: string): Promise<DeliveryView> {
    const response = await this.http.request<DeliveryView>({
      method: 'DELETE',
      path: `/internal/v1/deliveries/${deliveryId}`,
    });
    if (response.status === 200) return response.body;
    if (response.status === 404 || response.status === 409) {
      throw new DownstreamRejection(DELIVERY_SERVICE, response);
    }
    throw new UnexpectedAnswerError(DELIVERY_SERVICE, response.status, response.body);
  }
}

/** delivery's 429 for an account over its quota, as opposed to any other 429. */
export function isQuotaExceeded(response: DownstreamResponse): boolean {
  return (
    response.status === 429 &&
    isProblemDetails(response.body) &&
    response.body.type === DELIVERY_QUOTA_EXCEEDED_PROBLEM
  );
}
