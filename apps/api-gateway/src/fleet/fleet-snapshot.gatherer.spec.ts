import {
  FLEET_SNAPSHOT_ANSWERED,
  type FleetSnapshotAnswer,
  type FlownDrone,
} from '@drone-delivery/contracts';
import { mergeAnswers } from './fleet-snapshot.gatherer';

const drone = (
  droneId: string,
  reportedAt: string,
  state: FlownDrone['state'] = 'flying-to-pickup',
): FlownDrone => ({
  droneId,
  deliveryId: null,
  state,
  location: { lat: 47.6, lng: -122.3 },
  batteryPercent: 80,
  reportedAt,
});

const answer = (instanceId: string, drones: FlownDrone[]): FleetSnapshotAnswer => ({
  specversion: '1.0',
  id: `${instanceId}-answer`,
  source: '/drone-management',
  type: FLEET_SNAPSHOT_ANSWERED,
  subject: 'request-1',
  time: '2026-12-03T10:00:00.000Z',
  datacontenttype: 'application/json',
  sequence: 1,
  data: { instanceId, drones },
});

describe('mergeAnswers', () => {
  it('names every instance that answered, and keeps the newest report of a drone two instances flew', () => {
    const view = mergeAnswers(
      'request-1',
      [
        answer('dm-b', [
          drone('d-1', '2026-12-03T10:00:01.000Z', 'loading'),
          drone('d-2', '2026-12-03T10:00:01.000Z'),
        ]),
        answer('dm-a', [drone('d-1', '2026-12-03T10:00:02.000Z', 'flying-to-dropoff')]),
        answer('dm-c', []),
      ],
      1_000,
    );

    expect(view.instances).toEqual([
      { instanceId: 'dm-a', drones: 1 },
      { instanceId: 'dm-b', drones: 2 },
      { instanceId: 'dm-c', drones: 0 },
    ]);
    expect(view.drones.map((each) => [each.droneId, each.state, each.instanceId])).toEqual([
      ['d-1', 'flying-to-dropoff', 'dm-a'],
      ['d-2', 'flying-to-pickup', 'dm-b'],
    ]);
  });

  it('counts an instance once when it answered twice (a redelivered request)', () => {
    const view = mergeAnswers(
      'request-1',
      [answer('dm-a', [drone('d-1', '2026-12-03T10:00:01.000Z')]), answer('dm-a', [])],
      1_000,
    );
    expect(view.instances).toEqual([{ instanceId: 'dm-a', drones: 0 }]);
    expect(view.drones).toEqual([]);
  });
});
