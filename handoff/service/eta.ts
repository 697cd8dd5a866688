/** Pure queue arithmetic: medians and the wait estimate told to customers. */

/** Median of the values; null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] as number;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] as number) + hi) / 2;
}

/** The q-quantile (0..1) by nearest rank; null for an empty list. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export interface HandleTimeStats {
  /** Median handle time in seconds (the configured default when there are no samples). */
  medianSeconds: number;
  /** How many resolved tickets the median is based on. */
  samples: number;
}

export interface EtaInput {
  /** 1-based place in the queue. */
  position: number;
  stats: HandleTimeStats;
  /**
   * Sum of the capacities of agents present now. 0 while the queue is open means nobody can
   * take the ticket, so there is no honest number; while it is closed, someone comes at opening.
   */
  onlineCapacity: number;
  /** Below this many samples the estimate comes with a range. */
  minSamples: number;
  /** Extra seconds before anyone can start (e.g. until business hours open); default 0. */
  closedSeconds?: number;
}

export interface Eta {
  /** null when nobody is present to take the ticket: no number can be promised. */
  etaSeconds: number | null;
  /** [low, high] while data is thin: half to double the point estimate; null otherwise. */
  etaRange: [number, number] | null;
}

/**
 * position × median handle time ÷ present capacity, rounded to whole seconds, plus
 * any time until opening. E.g. position 4, 360 s median, capacity 2 → 720 s.
 */
export function estimateWait(input: EtaInput): Eta {
  if (input.onlineCapacity < 1 && !(input.closedSeconds && input.closedSeconds > 0)) {
    return { etaSeconds: null, etaRange: null };
  }
  const capacity = Math.max(1, input.onlineCapacity);
  const working = (Math.max(1, input.position) * input.stats.medianSeconds) / capacity;
  const closed = Math.max(0, input.closedSeconds ?? 0);
  const etaSeconds = Math.round(closed + working);
  if (input.stats.samples >= input.minSamples) return { etaSeconds, etaRange: null };
  return {
    etaSeconds,
    etaRange: [Math.round(closed + working / 2), Math.round(closed + working * 2)],
  };
}

/**
 * Whether a new estimate is news to the customer: the position changed, or the ETA moved by
 * at least `ratio` of the last one told (and by at least a minute).
 */
export function isMeaningfulChange(
  last: { position: number | null; etaSeconds: number | null },
  next: { position: number; etaSeconds: number | null },
  ratio: number,
): boolean {
  if (last.position !== next.position) return true;
  if (last.etaSeconds === null || next.etaSeconds === null)
    return last.etaSeconds !== next.etaSeconds;
  const delta = Math.abs(next.etaSeconds - last.etaSeconds);
  return delta >= 60 && delta >= ratio * Math.max(1, last.etaSeconds);
}
