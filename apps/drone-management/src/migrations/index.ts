import { CreateFleetAndAssignments1732500000000 } from './1732500000000-create-fleet-and-assignments';
import { AddDroneFlights1732600000000 } from './1732600000000-add-drone-flights';

/** In order. A migration, once released, is never edited: add a new one. */
export const DRONE_MANAGEMENT_MIGRATIONS = [
  CreateFleetAndAssignments1732500000000,
  AddDroneFlights1732600000000,
];
