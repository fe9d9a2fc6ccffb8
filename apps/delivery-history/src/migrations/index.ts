import { CreateDeliveryHistory1732500000000 } from './1732500000000-create-delivery-history';
import { IndexSummariesByCreation1732510000000 } from './1732510000000-index-summaries-by-creation';
import { IndexInboxByAge1732515000000 } from './1732515000000-index-inbox-by-age';

/** In order. A migration, once released, is never edited: add a new one. */
export const DELIVERY_HISTORY_MIGRATIONS = [
  CreateDeliveryHistory1732500000000,
  IndexSummariesByCreation1732510000000,
  IndexInboxByAge1732515000000,
];
