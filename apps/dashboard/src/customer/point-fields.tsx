import { type GeoPoint } from '../api/api-types';

export interface PointDraft {
  lat: string;
  lng: string;
}

export const EMPTY_POINT: PointDraft = { lat: '', lng: '' };

export const draftOf = (point: GeoPoint): PointDraft => ({
  lat: String(point.lat),
  lng: String(point.lng),
});

/** The point typed in, or null while either number is missing or not a number. */
export function pointOf(draft: PointDraft): GeoPoint | null {
  if (draft.lat.trim() === '' || draft.lng.trim() === '') return null;
  const lat = Number(draft.lat);
  const lng = Number(draft.lng);
  return Number.isFinite(lat) && Number.isFinite(lng) ? { lat, lng } : null;
}

/** Latitude and longitude inputs: the keyboard's way to place what a map click places. */
export function PointFields({
  legend,
  idPrefix,
  value,
  onChange,
}: {
  legend: string;
  idPrefix: string;
  value: PointDraft;
  onChange: (value: PointDraft) => void;
}) {
  return (
    <fieldset class="point">
      <legend>{legend}</legend>
      <label for={`${idPrefix}-lat`}>Latitude</label>
      <input
        id={`${idPrefix}-lat`}
        name={`${idPrefix}-lat`}
        type="number"
        step="any"
        min={-90}
        max={90}
        required
        value={value.lat}
        onInput={(event) => onChange({ ...value, lat: (event.target as HTMLInputElement).value })}
      />
      <label for={`${idPrefix}-lng`}>Longitude</label>
      <input
        id={`${idPrefix}-lng`}
        name={`${idPrefix}-lng`}
        type="number"
        step="any"
        min={-180}
        max={180}
        required
        value={value.lng}
        onInput={(event) => onChange({ ...value, lng: (event.target as HTMLInputElement).value })}
      />
    </fieldset>
  );
}
