/**
 * How each flight state looks on the map: a colour and, always beside it, words (colour is
 * never the only cue). Colours differ in lightness as well as hue, for colour-blind eyes.
 */
export const DRONE_STATE_STYLES: Record<string, { label: string; colour: string }> = {
  idle: { label: 'Idle', colour: '#4b5563' },
  'flying-to-pickup': { label: 'To pickup', colour: '#1d4ed8' },
  loading: { label: 'Loading', colour: '#7e22ce' },
  'flying-to-dropoff': { label: 'To dropoff', colour: '#c2410c' },
  unloading: { label: 'Unloading', colour: '#be185d' },
  returning: { label: 'Returning', colour: '#0f766e' },
  charging: { label: 'Charging', colour: '#a16207' },
};

export function droneStateStyle(state: string): { label: string; colour: string } {
  return DRONE_STATE_STYLES[state] ?? { label: state, colour: '#111827' };
}
