import { Injectable } from '@nestjs/common';
import { type DeliveryView } from '@drone-delivery/contracts';
import { type Caller } from '@drone-delivery/http';
import { DeliveriesClient } from '../downstream/deliveries.client';
import { ownedOrNotFound } from './ownership';
import { deliveryNotFound } from './ownership-problems';

/** Deliveries as the caller of a public route may see them: its account's, or any for an operator. */
@Injectable()
export class OwnedDeliveriesService {
  constructor(private readonly deliveries: DeliveriesClient) {}

  /** The delivery, from delivery's internal API; 404 when it is unknown or another account's. */
  async find(caller: Caller, deliveryId: string): Promise<DeliveryView> {
    const delivery = await this.deliveries.findDelivery(deliveryId);
    return ownedOrNotFound(caller, delivery, () => deliveryNotFound(deliveryId));
  }
}
