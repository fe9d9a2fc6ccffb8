import { loadEnvironment, ServiceWithTokensConfig } from '@drone-delivery/service-defaults';

/** Every setting of the package service, from the environment, checked at start-up. */
export class PackageConfig extends ServiceWithTokensConfig {
  override PORT = 3003;
}

export function loadPackageConfig(env: NodeJS.ProcessEnv = process.env): PackageConfig {
  return loadEnvironment(PackageConfig, env);
}
