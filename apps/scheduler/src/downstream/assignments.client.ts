import {
  type AssignmentView,
  DRONE_MANAGEMENT_SERVICE,
  isProblemDetails,
  NO_DRONE_AVAILABLE_PROBLEM,
  type PatchAssignmentRequest,
  type PutAssignmentRequest,
} from '@drone-delivery/contracts';
import { type DownstreamClient, type DownstreamResponse } from '@drone-delivery/http';
import { DownstreamRejection, UnexpectedAnswerError } from './downstream-errors';

/** drone-management's internal assignment API (libs/contracts internal-api/assignments.ts), typed. */
export class AssignmentsClient {
  constructor(private readonly http: DownstreamClient) {}

  /**
   * Assigns the nearest able drone. Idempotent: a retry answers 200 with the same assignment.
   * Throws DownstreamRejection with 409 NO_DRONE_AVAILABLE_PROBLEM (no drone free) or 422 (out of
   * the service area).
   */
  async assignDrone(deliveryId: string, request: PutAssignmentRequest): Promise<AssignmentView> {
    const response = await this.http.request<AssignmentView>({
      method: 'PUT',
      path: `/internal/v1/assignments/${deliveryId}`,
      body: request,
    });
    if (response.status === 200 || response.status === 201) return response.body;
    if (isNoDroneAvailable(response) || response.status === 422) {
      throw new DownstreamRejection(DRONE_MANAGEMENT_SERVICE, response);
    }
    throw new UnexpectedAnswerError(DRONE_MANAGEMENT_SERVICE, response.status, response.body);
  }

  /** Re-plans with a new dropoff or pickup time. Rejections: 404, 409 (released), 422, 400. */
  async replan(deliveryId: string, request: PatchAssignmentRequest): Promise<AssignmentView> {
    const response = await this.http.request<AssignmentView>({
      method: 'PATCH',
      path: `/internal/v1/assignments/${deliveryId}`,
      body: request,
    });
    if (response.status === 200) return response.body;
    if ([400, 404, 409, 422].includes(response.status)) {
      throw new DownstreamRejection(DRONE_MANAGEMENT_SERVICE, response);
    }
    throw new UnexpectedAnswerError(DRONE_MANAGEMENT_SERVICE, response.status, response.body);
  }

  /** Frees the drone. Idempotent: releasing a released (or never made) assignment is done already. */
  async releaseDrone(deliveryId: string): Promise<void> {
    const response = await this.http.request({
      method: 'DELETE',
      path: `/internal/v1/assignments/${deliveryId}`,
    });
    if ([200, 204, 404].includes(response.status)) return;
    throw new UnexpectedAnswerError(DRONE_MANAGEMENT_SERVICE, response.status, response.body);
  }
}

/** drone-management's 409 for "every able drone is busy", as opposed to a clash of contents. */
export function isNoDroneAvailable(response: DownstreamResponse): boolean {
  return (
    response.status === 409 &&
    isProblemDetails(response.body) &&
    response.body.type === NO_DRONE_AVAILABLE_PROBLEM
  );
}
