import { routeOf } from './routes';

describe('routeOf', () => {
  it('names each page of the dashboard', () => {
    expect(routeOf('/')).toEqual({ name: 'home' });
    expect(routeOf('/callback')).toEqual({ name: 'callback' });
    expect(routeOf('/deliveries/0193A8B0-0000-7000-8000-000000000001')).toEqual({
      name: 'delivery',
      deliveryId: '0193a8b0-0000-7000-8000-000000000001',
    });
    expect(routeOf('/dead-letters/delivery.events.v1.dlq')).toEqual({
      name: 'dead-letters',
      topic: 'delivery.events.v1.dlq',
    });
    expect(routeOf('/deliveries/not-an-id')).toEqual({ name: 'not-found' });
  });
});
