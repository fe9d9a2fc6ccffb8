import { isUUID } from 'class-validator';

/** Where a page ended: search continues with the deliveries strictly after it (newest first). */
export interface SearchPosition {
  createdAt: Date;
  deliveryId: string;
}

/**
 * Keyset paging: a cursor names the last delivery of a page, so a delivery created meanwhile
 * neither shifts later pages nor shows up twice, as it would with offsets. Opaque to clients.
 */
export function encodeSearchCursor(position: SearchPosition): string {
  return Buffer.from(
    JSON.stringify([position.createdAt.toISOString(), position.deliveryId]),
  ).toString('base64url');
}

/** The position a cursor names, or undefined when it is not one this service gave out. */
export function decodeSearchCursor(cursor: string): SearchPosition | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (!Array.isArray(decoded) || decoded.length !== 2) return undefined;
    const [createdAt, deliveryId] = decoded as unknown[];
    if (typeof createdAt !== 'string' || !isUUID(deliveryId)) return undefined;
    const instant = new Date(createdAt);
    if (Number.isNaN(instant.getTime())) return undefined;
    return { createdAt: instant, deliveryId: deliveryId as string };
  } catch {
    return undefined;
  }
}
