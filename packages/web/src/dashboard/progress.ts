// Collection over time, for the dashboard's chart: the API's counts by calendar day, put into
// consecutive periods (days, or weeks over a long programme so the bars stay readable), empty
// periods included so the time axis is even, with the running total beside.

export interface DayCount {
  /** YYYY-MM-DD (UTC calendar day). */
  day: string;
  handovers: number;
  weapons: number;
  lots: number;
}

export type PeriodUnit = "day" | "week";

export interface Period {
  /** First day of the period, YYYY-MM-DD. */
  start: string;
  handovers: number;
  weapons: number;
  lots: number;
  /** Weapons collected up to the end of this period. */
  cumulativeWeapons: number;
}

/** More days than this are shown week by week. */
export const MAX_DAILY_PERIODS = 92;

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const dayText = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** The Monday on or before a day (ISO weeks; 1970-01-01 was a Thursday). */
const mondayOf = (n: number) => n - ((n + 3) % 7);

export function periodUnitFor(days: readonly DayCount[]): PeriodUnit {
  const numbers = days.map((d) => dayNumber(d.day)).filter(Number.isFinite);
  if (numbers.length === 0) return "day";
  return Math.max(...numbers) - Math.min(...numbers) + 1 > MAX_DAILY_PERIODS ? "week" : "day";
}

export function progressSeries(days: readonly DayCount[], unit: PeriodUnit = periodUnitFor(days)): Period[] {
  const startOf = (n: number) => (unit === "week" ? mondayOf(n) : n);
  const step = unit === "week" ? 7 : 1;
  const buckets = new Map<number, Omit<Period, "start" | "cumulativeWeapons">>();
  for (const d of days) {
    const n = dayNumber(d.day);
    if (!Number.isFinite(n)) continue;
    const key = startOf(n);
    const b = buckets.get(key) ?? { handovers: 0, weapons: 0, lots: 0 };
    b.handovers += d.handovers;
    b.weapons += d.weapons;
    b.lots += d.lots;
    buckets.set(key, b);
  }
  if (buckets.size === 0) return [];
  const first = Math.min(...buckets.keys());
  const last = Math.max(...buckets.keys());
  const periods: Period[] = [];
  let cumulative = 0;
  for (let n = first; n <= last; n += step) {
    const b = buckets.get(n) ?? { handovers: 0, weapons: 0, lots: 0 };
    cumulative += b.weapons;
    periods.push({ start: dayText(n), ...b, cumulativeWeapons: cumulative });
  }
  return periods;
}

/** A round top for an axis at or above `max` (1, 2 or 5 times a power of ten), and at least 1. */
export function axisTop(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * power >= max) return m * power;
  return 10 * power;
}
