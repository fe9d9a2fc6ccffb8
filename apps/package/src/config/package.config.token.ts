export const PACKAGE_CONFIG = Symbol('PACKAGE_CONFIG');
