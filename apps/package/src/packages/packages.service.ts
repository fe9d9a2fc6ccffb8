import { ConflictException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { type PackageView } from '@drone-delivery/contracts';
import { fieldErrorsProblem } from '@drone-delivery/service-defaults';
import { Package } from './package.entity';
import { weightLimitViolation } from './package-weight.validator';
import { type PatchPackageDto } from './patch-package.dto';
import { type PutPackageDto } from './put-package.dto';

export interface PutPackageResult {
  /** True when this call created the package; false when it already existed (a retry). */
  created: boolean;
  package: PackageView;
}

@Injectable()
export class PackagesService {
  constructor(@InjectRepository(Package) private readonly packages: Repository<Package>) {}

  /**
   * Creates the package under the caller's id. The insert does nothing when the id exists, so
   * of two identical requests racing, one creates and the other finds the same package. An id
   * that was deleted (or deleted before it was created) is refused with 410: a saga's late PUT
   * that arrives after its compensation must not leave a package nobody will delete.
   */
  async putPackage(packageId: string, request: PutPackageDto): Promise<PutPackageResult> {
    const wanted = {
      id: packageId,
      accountId: request.accountId,
      size: request.size,
      weightKg: request.weightKg,
      tag: request.tag ?? null,
    };
    return this.packages.manager.transaction(async (manager) => {
      await lockPackageId(manager, packageId);
      if (await isTombstoned(manager, packageId)) throw packageGone(packageId);
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Package)
        .values(wanted)
        .orIgnore()
        .returning(['id'])
        .execute();
      const created = (inserted.raw as unknown[]).length > 0;
      const existing = await manager.findOneByOrFail(Package, { id: packageId });
      if (!created && !sameContents(existing, wanted)) {
        throw new ConflictException(
          `Package ${packageId} already exists with other contents; use PATCH to change it.`,
        );
      }
      return { created, package: toView(existing) };
    });
  }

  async findPackage(packageId: string): Promise<PackageView> {
    const found = await this.packages.findOneBy({ id: packageId });
    if (!found) throw notFound(packageId);
    return toView(found);
  }

  /** Row-locked, so concurrent changes to different fields do not overwrite each other. */
  async patchPackage(packageId: string, changes: PatchPackageDto): Promise<PackageView> {
    return this.packages.manager.transaction(async (manager) => {
      const current = await manager.findOne(Package, {
        where: { id: packageId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) throw notFound(packageId);
      const size = changes.size ?? current.size;
      const weightKg = changes.weightKg ?? current.weightKg;
      const tooHeavy = weightLimitViolation(size, weightKg);
      if (tooHeavy) throw fieldErrorsProblem([{ field: 'weightKg', message: tooHeavy }]);
      if (changes.tag !== undefined) current.tag = changes.tag;
      current.size = size;
      current.weightKg = weightKg;
      return toView(await manager.save(current));
    });
  }

  /**
   * Idempotent: a compensation may be retried after the package is already gone. Leaves a
   * tombstone, also for an id never written, so that a PUT still on its way is refused.
   */
  async deletePackage(packageId: string): Promise<void> {
    await this.packages.manager.transaction(async (manager) => {
      await lockPackageId(manager, packageId);
      await manager.query(
        'INSERT INTO package_tombstones (package_id) VALUES ($1) ON CONFLICT DO NOTHING',
        [packageId],
      );
      await manager.delete(Package, { id: packageId });
    });
  }
}

/**
 * Serialises the PUT and the DELETE of one id (a transaction-scoped advisory lock): neither sees
 * the other's uncommitted row, so without it a package and its tombstone could both be written.
 */
async function lockPackageId(manager: EntityManager, packageId: string): Promise<void> {
  await manager.query(
    "SELECT pg_advisory_xact_lock(hashtext('package.id'), hashtext($1::uuid::text))",
    [packageId],
  );
}

async function isTombstoned(manager: EntityManager, packageId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    'SELECT 1 FROM package_tombstones WHERE package_id = $1',
    [packageId],
  );
  return rows.length > 0;
}

function packageGone(packageId: string): GoneException {
  return new GoneException(`Package ${packageId} was deleted; its id is not used again.`);
}

function sameContents(
  stored: Package,
  wanted: Pick<Package, 'accountId' | 'size' | 'weightKg' | 'tag'>,
): boolean {
  return (
    stored.accountId === wanted.accountId &&
    stored.size === wanted.size &&
    stored.weightKg === wanted.weightKg &&
    stored.tag === wanted.tag
  );
}

function notFound(packageId: string): NotFoundException {
  return new NotFoundException(`There is no package ${packageId}.`);
}

function toView(stored: Package): PackageView {
  return {
    packageId: stored.id,
    accountId: stored.accountId,
    size: stored.size,
    weightKg: stored.weightKg,
    ...(stored.tag !== null && { tag: stored.tag }),
    createdAt: stored.createdAt.toISOString(),
    updatedAt: stored.updatedAt.toISOString(),
  };
}
