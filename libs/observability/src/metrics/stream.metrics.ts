import { Counter, Gauge } from 'prom-client';

/** stream_connections                    gauge: live-stream clients connected to this gateway. */
const connections = new Gauge({
  name: 'stream_connections',
  help: 'Live-stream (WebSocket) clients connected to this gateway instance.',
});

/** stream_positions_coalesced_total      counter: positions replaced by a newer one unsent (slow clients). */
const positionsCoalesced = new Counter({
  name: 'stream_positions_coalesced_total',
  help: 'Drone positions replaced by a newer one before they were sent: latest only for slow clients.',
});

/** stream_slow_clients_closed_total      counter: clients disconnected for falling too far behind on events. */
const slowClientsClosed = new Counter({
  name: 'stream_slow_clients_closed_total',
  help: 'Live-stream clients disconnected because their unsent delivery events passed the limit.',
});

/** The live stream's instruments, for api-gateway's stream module. */
export const streamMetrics = {
  connected: () => connections.inc(),
  disconnected: () => connections.dec(),
  positionsCoalesced: () => positionsCoalesced.inc(),
  slowClientClosed: () => slowClientsClosed.inc(),
};
