import { useEffect, useState } from 'preact/hooks';
import { session } from '../auth/session';
import { LiveStore } from '../stream/live-store';
import { LiveStream } from '../stream/live-stream';
import { STREAM_PATH } from '../stream/stream-frames';

/**
 * Performance marks (milliseconds since the page's navigation started) a test or a person can
 * read: `performance.getEntriesByName('dashboard:first-position')`.
 */
export const FIRST_POSITION_MARK = 'dashboard:first-position';
export const STREAM_LIVE_MARK = 'dashboard:stream-live';

function markOnce(name: string): void {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name);
}

/** The page's one live store and its one stream connection, shared by every view. */
export const liveStore = new LiveStore();

export const liveStream = new LiveStream({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${STREAM_PATH}`,
  token: () => session.accessToken(),
  renewToken: () => session.renew(),
  resumeAfter: (deliveryId) => liveStore.resumeAfter(deliveryId),
  onFrame: (frame) => {
    if (frame.type === 'position') markOnce(FIRST_POSITION_MARK);
    liveStore.onFrame(frame);
  },
  onStatus: (status) => {
    if (status === 'live') markOnce(STREAM_LIVE_MARK);
    liveStore.setStatus(status);
  },
});

/** Re-renders the calling view whenever the live store changes (at most once a frame). */
export function useLiveStore(): LiveStore {
  const [, setVersion] = useState(liveStore.version);
  useEffect(() => liveStore.subscribe(() => setVersion(liveStore.version)), []);
  return liveStore;
}
