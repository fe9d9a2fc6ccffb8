/**
 * RFC 7638 thumbprints of the service keys published in docker-compose.yml for the demo. Anyone
 * can read those keys, so a service refuses them unless DEMO_MODE=true (ServiceTokens.create).
 * Only thumbprints live here: the keys themselves are in the compose file alone.
 */
export const DEMO_SERVICE_KEY_THUMBPRINTS: readonly string[] = [
  // scheduler:demo, the one caller of internal routes
  'qoiNxLfvcbVHawNjsQsFq0sQhQsGTnpPUsSsmoM8-QM',
];
