import { NotFoundException } from '@nestjs/common';
import { fieldErrorsProblem, type ProblemException } from '@drone-delivery/service-defaults';

export function subscriptionNotFound(
  deliveryId: string,
  subscriptionId: string,
): NotFoundException {
  return new NotFoundException(
    `Delivery ${deliveryId} has no notification subscription ${subscriptionId}.`,
  );
}

export function noChannelProblem(): ProblemException {
  return fieldErrorsProblem([
    { field: 'body', message: 'give at least one of email, sms and webhookUrl' },
  ]);
}
