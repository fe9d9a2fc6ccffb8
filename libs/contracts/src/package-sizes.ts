export const PACKAGE_SIZES = ['small', 'medium', 'large'] as const;
export type PackageSize = (typeof PACKAGE_SIZES)[number];

/**
 * The heaviest package each size may hold. The scheduler rejects heavier ones with 400 before
 * any saga starts, and the package service enforces the same rule on its own API.
 */
export const MAX_WEIGHT_KG: Record<PackageSize, number> = { small: 2, medium: 5, large: 10 };

/** Longest package tag (a free label such as an order number). */
export const PACKAGE_TAG_MAX_LENGTH = 64;
