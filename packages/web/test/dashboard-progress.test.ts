import fc from "fast-check";
import { describe, expect, it } from "vitest";
import outline from "../src/dashboard/iraq-outline.json";
import { projectionFor, type Ring } from "../src/dashboard/map-projection.ts";
import { axisTop, MAX_DAILY_PERIODS, periodUnitFor, progressSeries } from "../src/dashboard/progress.ts";

const day = (d: string, weapons: number) => ({ day: d, handovers: 1, weapons, lots: 0 });

describe("collection over time", () => {
  it("fills the empty days between and keeps a running total", () => {
    expect(progressSeries([day("2026-02-03", 1), day("2026-02-01", 3)])).toEqual([
      { start: "2026-02-01", handovers: 1, weapons: 3, lots: 0, cumulativeWeapons: 3 },
      { start: "2026-02-02", handovers: 0, weapons: 0, lots: 0, cumulativeWeapons: 3 },
      { start: "2026-02-03", handovers: 1, weapons: 1, lots: 0, cumulativeWeapons: 4 },
    ]);
    expect(progressSeries([])).toEqual([]);
  });

  it("counts week by week, from Mondays, over a long programme", () => {
    const days = [day("2026-01-01", 2), day("2026-01-04", 1), day("2026-05-01", 5)];
    expect(periodUnitFor(days)).toBe("week");
    const weeks = progressSeries(days);
    // 1 January 2026 was a Thursday; its week began on Monday 29 December 2025.
    expect(weeks[0]).toMatchObject({ start: "2025-12-29", weapons: 3, cumulativeWeapons: 3 });
    expect(weeks.at(-1)).toMatchObject({ start: "2026-04-27", weapons: 5, cumulativeWeapons: 8 });
    expect(
      weeks.every(
        (w, i) => i === 0 || Date.parse(w.start) - Date.parse(weeks[i - 1]!.start) === 7 * 86_400_000,
      ),
    ).toBe(true);
  });

  it("loses and invents nothing, whatever the days", () => {
    const start = Date.parse("2026-01-01T00:00:00Z");
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ offset: fc.integer({ min: 0, max: 400 }), weapons: fc.integer({ min: 0, max: 50 }) }),
          {
            maxLength: 30,
          },
        ),
        (rows) => {
          const days = rows.map((r) =>
            day(new Date(start + r.offset * 86_400_000).toISOString().slice(0, 10), r.weapons),
          );
          const series = progressSeries(days);
          const total = rows.reduce((n, r) => n + r.weapons, 0);
          expect(series.reduce((n, p) => n + p.weapons, 0)).toBe(total);
          expect(series.at(-1)?.cumulativeWeapons ?? 0).toBe(total);
          expect(series.reduce((n, p) => n + p.handovers, 0)).toBe(rows.length);
          if (periodUnitFor(days) === "day") expect(series.length).toBeLessThanOrEqual(MAX_DAILY_PERIODS);
        },
      ),
    );
  });

  it("rounds an axis up to 1, 2 or 5 times a power of ten", () => {
    expect([0, 1, 3, 7, 10, 11, 45, 900, 1001].map(axisTop)).toEqual([1, 1, 5, 10, 10, 20, 50, 1000, 2000]);
  });
});

describe("the map's projection", () => {
  it("keeps north up and east right, within the drawing", () => {
    const square = [
      [40, 30],
      [48, 30],
      [48, 37],
      [40, 37],
    ] as const;
    const p = projectionFor([square], 480);
    const sw = p.point(40, 30);
    const ne = p.point(48, 37);
    expect(sw.x).toBeLessThan(ne.x);
    expect(sw.y).toBeGreaterThan(ne.y);
    for (const q of [sw, ne]) {
      expect(q.x).toBeGreaterThanOrEqual(0);
      expect(q.x).toBeLessThanOrEqual(p.width);
      expect(q.y).toBeGreaterThanOrEqual(0);
      expect(q.y).toBeLessThanOrEqual(p.height);
    }
    expect(p.path([square])).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){3}Z$/u);
    // A border between two governorates is a line, left open.
    expect(p.lines([square.slice(0, 2)])).toMatch(/^M[\d.]+ [\d.]+L[\d.]+ [\d.]+$/u);
  });

  it("draws the borders between Iraq's 18 governorates inside the country's outline", () => {
    const p = projectionFor(outline.rings as unknown as Ring[], 480);
    const borders = outline.borders as unknown as Ring[];
    expect(borders.length).toBeGreaterThan(10);
    // Every point lies within the drawing (a point far outside would be a broken border).
    for (const [lon, lat] of borders.flat()) {
      const q = p.point(lon, lat);
      expect(q.x).toBeGreaterThanOrEqual(0);
      expect(q.x).toBeLessThanOrEqual(p.width);
      expect(q.y).toBeGreaterThanOrEqual(0);
      expect(q.y).toBeLessThanOrEqual(p.height);
    }
    expect(outline.bordersSource).toMatch(/Natural Earth/u);
  });
});
