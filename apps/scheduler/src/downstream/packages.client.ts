import {
  PACKAGE_SERVICE,
  type PackageView,
  type PutPackageRequest,
} from '@drone-delivery/contracts';
import { type DownstreamClient } from '@drone-delivery/http';
import { UnexpectedAnswerError } from './downstream-errors';

/** package's internal API (libs/contracts internal-api/packages.ts), typed. */
export class PackagesClient {
  constructor(private readonly http: DownstreamClient) {}

  /** Idempotent: a retry with the same contents answers 200 with the same package. */
  async putPackage(packageId: string, request: PutPackageRequest): Promise<PackageView> {
    const response = await this.http.request<PackageView>({
      method: 'PUT',
      path: `/internal/v1/packages/${packageId}`,
      body: request,
    });
    if (response.status === 200 || response.status === 201) return response.body;
    throw new UnexpectedAnswerError(PACKAGE_SERVICE, response.status, response.body);
  }

  /** Idempotent: deleting a package that is gone, or never was, is done already. */
  async deletePackage(packageId: string): Promise<void> {
    const response = await this.http.request({
      method: 'DELETE',
      path: `/internal/v1/packages/${packageId}`,
    });
    if ([200, 204, 404].includes(response.status)) return;
    throw new UnexpectedAnswerError(PACKAGE_SERVICE, response.status, response.body);
  }
}
