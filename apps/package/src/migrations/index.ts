import { CreatePackages1732350000000 } from './1732350000000-create-packages';
import { CreatePackageTombstones1732370000000 } from './1732370000000-create-package-tombstones';

/** In order. A migration, once released, is never edited: add a new one. */
export const PACKAGE_MIGRATIONS = [
  CreatePackages1732350000000,
  CreatePackageTombstones1732370000000,
];
