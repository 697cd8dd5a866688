/** Display helpers for the dashboard: a missing figure is an em dash, never 0. */

export const dash = '—';

export function percent(rate: number | null): string {
  return rate === null ? dash : `${Math.round(rate * 1000) / 10}%`;
}

/** 45 → "45 s", 150 → "2 min 30 s", 7200 → "2 h 0 min". */
export function duration(seconds: number | null): string {
  if (seconds === null) return dash;
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) {
    const s = seconds % 60;
    return `${Math.floor(seconds / 60)} min${s ? ` ${s} s` : ''}`;
  }
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

export function average(value: number | null): string {
  return value === null ? dash : (Math.round(value * 100) / 100).toString();
}

/** Bucket labels: "Nov 23" for days, "Nov 23 14:00" for hours, in UTC like the figures. */
export function bucketLabel(iso: string, bucket: 'hour' | 'day'): string {
  const date = new Date(iso);
  const day = date.toLocaleDateString('en-GB', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return bucket === 'day' ? day : `${day} ${iso.slice(11, 16)}`;
}

/**
 * Okabe–Ito: eight colours told apart with every common colour-vision deficiency, and dark
 * enough on white for lines and bars.
 */
export const palette = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#F0E442',
  '#000000',
] as const;
