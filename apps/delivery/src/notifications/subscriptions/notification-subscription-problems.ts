import { NotFoundException } from '@nestjs/common';

export function subscriptionNotFound(
  deliveryId: string,
  subscriptionId: string,
): NotFoundException {
  return new NotFoundException(
    `Delivery ${deliveryId} has no notification subscription ${subscriptionId}.`,
  );
}
