import { CreateDeliveries1732450000000 } from './1732450000000-create-deliveries';
import { TrackDroneReports1732460000000 } from './1732460000000-track-drone-reports';
import { CreateNotifications1732470000000 } from './1732470000000-create-notifications';
import { IndexDeliveriesInFlight1732480000000 } from './1732480000000-index-deliveries-in-flight';

/** In order. A migration, once released, is never edited: add a new one. */
export const DELIVERY_MIGRATIONS = [
  CreateDeliveries1732450000000,
  TrackDroneReports1732460000000,
  CreateNotifications1732470000000,
  IndexDeliveriesInFlight1732480000000,
];
