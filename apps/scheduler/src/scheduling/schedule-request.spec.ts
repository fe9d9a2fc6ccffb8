import { plainToInstance } from 'class-transformer';
import { ScheduleDeliveryDto } from './schedule-delivery.dto';
import { fingerprintScheduleRequest, normalizeScheduleRequest } from './schedule-request';

const fingerprint = (body: { accountId: string; [field: string]: unknown }) =>
  fingerprintScheduleRequest(
    normalizeScheduleRequest(plainToInstance(ScheduleDeliveryDto, body), body.accountId),
  );

const ORDER = {
  accountId: '11111111-1111-4111-8111-111111111111',
  pickup: { lat: 47.61, lng: -122.33 },
  dropoff: { lat: 47.65, lng: -122.3 },
  pickupTime: '2030-01-01T10:00:00+01:00',
  package: { size: 'small', weightKg: 1.2 },
};

describe('the fingerprint an Idempotency-Key is checked against', () => {
  it('is the same for bodies that mean the same', () => {
    expect(
      fingerprint({
        package: { weightKg: 1.2, size: 'small' },
        dropoff: ORDER.dropoff,
        pickup: ORDER.pickup,
        pickupTime: '2030-01-01T09:00:00Z',
        accountId: ORDER.accountId.toUpperCase(),
        expedited: false,
        confirmationRequired: 'none',
      }),
    ).toBe(fingerprint(ORDER));
  });

  it('differs when anything that matters differs', () => {
    const base = fingerprint(ORDER);
    expect(fingerprint({ ...ORDER, expedited: true })).not.toBe(base);
    expect(fingerprint({ ...ORDER, package: { size: 'small', weightKg: 1.3 } })).not.toBe(base);
    expect(fingerprint({ ...ORDER, pickupTime: undefined })).not.toBe(base);
    // The same body for another account is another request: its key never replays this one.
    expect(fingerprint({ ...ORDER, accountId: '33333333-3333-4333-8333-333333333333' })).not.toBe(
      base,
    );
  });
});
