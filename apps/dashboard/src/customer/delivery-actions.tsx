import { useState } from 'preact/hooks';
import { api, plainMessageOf } from '../api/api-client';
import {
  type DeliveryStatusView,
  type NotificationSubscriptionRequest,
  type RescheduleRequest,
} from '../api/api-types';
import { type PlainMessage } from '../api/problem-message';
import { localInputToIso, shortId } from '../app/format';
import { ProblemAlert } from '../app/problem-alert';
import { type PointDraft, PointFields, pointOf } from './point-fields';

/** Reschedule: a new dropoff (typed, or picked on the map above), pickup time or deadline. */
export function RescheduleForm({
  deliveryId,
  dropoff,
  onDropoffChange,
  onPickOnMap,
  picking,
  onDone,
}: {
  deliveryId: string;
  dropoff: PointDraft;
  onDropoffChange: (value: PointDraft) => void;
  onPickOnMap: (on: boolean) => void;
  picking: boolean;
  onDone: () => void;
}) {
  const [pickupTime, setPickupTime] = useState('');
  const [deadline, setDeadline] = useState('');
  const [problem, setProblem] = useState<PlainMessage>();
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const change: RescheduleRequest = {};
    const point = pointOf(dropoff);
    if (point) change.dropoff = point;
    const pickupIso = localInputToIso(pickupTime);
    const deadlineIso = localInputToIso(deadline);
    if (pickupIso) change.pickupTime = pickupIso;
    if (deadlineIso) change.deadline = deadlineIso;
    if (Object.keys(change).length === 0) {
      setProblem({
        headline: 'Nothing to change.',
        explanation: 'Give a new dropoff, pickup time or deadline.',
        fields: [],
      });
      return;
    }
    setBusy(true);
    setProblem(undefined);
    setDone('');
    try {
      await api(`/api/v1/deliveries/${deliveryId}`, { method: 'PATCH', body: change });
      setDone('The delivery is rescheduled.');
      onPickOnMap(false);
      onDone();
    } catch (error) {
      setProblem(plainMessageOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void onSubmit(event)} aria-labelledby="reschedule-heading">
      <h3 id="reschedule-heading">Reschedule</h3>
      <PointFields
        legend="New dropoff"
        idPrefix="new-dropoff"
        value={dropoff}
        onChange={onDropoffChange}
      />
      <button type="button" aria-pressed={picking} onClick={() => onPickOnMap(!picking)}>
        {picking ? 'Stop choosing on the map' : 'Choose the new dropoff on the map'}
      </button>
      <label for="pickup-time">Earliest pickup</label>
      <input
        id="pickup-time"
        type="datetime-local"
        value={pickupTime}
        onInput={(event) => setPickupTime((event.target as HTMLInputElement).value)}
      />
      <label for="deadline">Deadline</label>
      <input
        id="deadline"
        type="datetime-local"
        value={deadline}
        onInput={(event) => setDeadline((event.target as HTMLInputElement).value)}
      />
      <ProblemAlert message={problem} />
      {done && <p role="status">{done}</p>}
      <button type="submit" disabled={busy} aria-busy={busy}>
        Reschedule delivery
      </button>
    </form>
  );
}

/** Cancel, after a second, explicit confirmation. */
export function CancelDelivery({ deliveryId, onDone }: { deliveryId: string; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<PlainMessage>();
  const [busy, setBusy] = useState(false);
  const cancel = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api<DeliveryStatusView>(`/api/v1/deliveries/${deliveryId}`, { method: 'DELETE' });
      setConfirming(false);
      onDone();
    } catch (error) {
      setProblem(plainMessageOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div aria-labelledby="cancel-heading">
      <h3 id="cancel-heading">Cancel</h3>
      {!confirming ? (
        <button type="button" onClick={() => setConfirming(true)}>
          Cancel delivery…
        </button>
      ) : (
        <p>
          Cancel delivery {shortId(deliveryId)}? Its drone is released.{' '}
          <button type="button" class="danger" disabled={busy} onClick={() => void cancel()}>
            Yes, cancel it
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </p>
      )}
      <ProblemAlert message={problem} />
    </div>
  );
}

interface SubscriptionView {
  subscriptionId: string;
}

/** A notification subscription: e-mail, SMS (E.164) or a webhook, at least one. */
export function NotificationForm({ deliveryId }: { deliveryId: string }) {
  const [email, setEmail] = useState('');
  const [sms, setSms] = useState('');
  const [webhookUrl, setWebhookUrl] = useState('');
  const [problem, setProblem] = useState<PlainMessage>();
  const [subscribed, setSubscribed] = useState('');
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const body: NotificationSubscriptionRequest = {
      ...(email.trim() && { email: email.trim() }),
      ...(sms.trim() && { sms: sms.trim() }),
      ...(webhookUrl.trim() && { webhookUrl: webhookUrl.trim() }),
    };
    if (Object.keys(body).length === 0) {
      setProblem({
        headline: 'Nowhere to notify.',
        explanation: 'Give an e-mail address, a phone number or a webhook URL.',
        fields: [],
      });
      return;
    }
    setBusy(true);
    setProblem(undefined);
    setSubscribed('');
    try {
      const view = await api<SubscriptionView>(`/api/v1/deliveries/${deliveryId}/notifications`, {
        method: 'POST',
        body,
      });
      setSubscribed(
        `Subscribed (${shortId(view.subscriptionId)}): you will be told of each change.`,
      );
    } catch (error) {
      setProblem(plainMessageOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(event) => void onSubmit(event)} aria-labelledby="notify-heading">
      <h3 id="notify-heading">Notifications</h3>
      <label for="notify-email">E-mail</label>
      <input
        id="notify-email"
        type="email"
        autoComplete="email"
        value={email}
        onInput={(event) => setEmail((event.target as HTMLInputElement).value)}
      />
      <label for="notify-sms">Phone (SMS, e.g. +14255550100)</label>
      <input
        id="notify-sms"
        type="tel"
        autoComplete="tel"
        value={sms}
        onInput={(event) => setSms((event.target as HTMLInputElement).value)}
      />
      <label for="notify-webhook">Webhook URL</label>
      <input
        id="notify-webhook"
        type="url"
        value={webhookUrl}
        onInput={(event) => setWebhookUrl((event.target as HTMLInputElement).value)}
      />
      <ProblemAlert message={problem} />
      {subscribed && <p role="status">{subscribed}</p>}
      <button type="submit" disabled={busy} aria-busy={busy}>
        Subscribe
      </button>
    </form>
  );
}
