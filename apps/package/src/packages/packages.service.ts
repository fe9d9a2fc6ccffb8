import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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
   * of two identical requests racing, one creates and the other finds the same package.
   */
  async putPackage(packageId: string, request: PutPackageDto): Promise<PutPackageResult> {
    const wanted = {
      id: packageId,
      accountId: request.accountId,
      size: request.size,
      weightKg: request.weightKg,
      tag: request.tag ?? null,
    };
    // A concurrent DELETE may remove the row between our insert and our read: then insert again.
    for (let attempt = 1; ; attempt++) {
      const inserted = await this.packages
        .createQueryBuilder()
        .insert()
        .into(Package)
        .values(wanted)
        .orIgnore()
        .returning(['id'])
        .execute();
      const created = (inserted.raw as unknown[]).length > 0;
      const existing = await this.packages.findOneBy({ id: packageId });
      if (!existing) {
        if (attempt < 3) continue;
        throw new ConflictException(`Package ${packageId} is being deleted; try again.`);
      }
      if (!created && !sameContents(existing, wanted)) {
        throw new ConflictException(
          `Package ${packageId} already exists with other contents; use PATCH to change it.`,
        );
      }
      return { created, package: toView(existing) };
    }
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

  /** Idempotent: a compensation may be retried after the package is already gone. */
  async deletePackage(packageId: string): Promise<void> {
    await this.packages.delete({ id: packageId });
  }
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
