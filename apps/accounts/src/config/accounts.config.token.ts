export const ACCOUNTS_CONFIG = Symbol('ACCOUNTS_CONFIG');
