import { CreateDeliveries1732450000000 } from './1732450000000-create-deliveries';
import { TrackDroneReports1732460000000 } from './1732460000000-track-drone-reports';
import { CreateNotifications1732470000000 } from './1732470000000-create-notifications';
import { IndexDeliveriesInFlight1732480000000 } from './1732480000000-index-deliveries-in-flight';
import { CreateDeliveryTombstones1732490000000 } from './1732490000000-create-delivery-tombstones';
import { LeaseAndPruneOutboxes1732495000000 } from './1732495000000-lease-and-prune-outboxes';

/** In order. A migration, once released, is never edited: add a new one. */
export const DELIVERY_MIGRATIONS = [
  CreateDeliveries1732450000000,
  TrackDroneReports1732460000000,
  CreateNotifications1732470000000,
  IndexDeliveriesInFlight1732480000000,
  CreateDeliveryTombstones1732490000000,
  LeaseAndPruneOutboxes1732495000000,
];
