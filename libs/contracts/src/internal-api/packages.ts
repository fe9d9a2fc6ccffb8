import { type PackageSize } from '../package-sizes';

/** package, internal. All routes need a service token addressed to `package`. */
export const PACKAGE_SERVICE = 'package';

/**
 * `PUT /internal/v1/packages/{packageId}` → 201 PackageView (created) | 200 PackageView (the same
 * package already exists: a retry) | 409 (the id exists with other contents) | 410 (the id was
 * deleted, maybe before it was created: a late PUT after its saga's compensation) | 400.
 */
export interface PutPackageRequest {
  accountId: string;
  size: PackageSize;
  weightKg: number;
  tag?: string;
}

/** `PATCH /internal/v1/packages/{packageId}` → 200 PackageView | 404 | 400. */
export type PatchPackageRequest = Partial<Pick<PutPackageRequest, 'size' | 'weightKg' | 'tag'>>;

/**
 * `GET /internal/v1/packages/{packageId}` → 200 | 404. `DELETE` → 204, also when already gone or
 * never written; the id is kept as a tombstone, so a later PUT of it is 410.
 */
export interface PackageView extends PutPackageRequest {
  packageId: string;
  createdAt: string;
  updatedAt: string;
}
