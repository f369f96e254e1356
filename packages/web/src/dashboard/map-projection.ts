// The map's projection: equirectangular with the longitude scaled by the cosine of the middle
// latitude, which keeps a country the size of Iraq in shape without a projection library. North
// is up and east is right in both languages: a map is not mirrored for right-to-left text.

export type Ring = readonly (readonly [number, number])[];

export interface Projection {
  width: number;
  height: number;
  /** SVG coordinates of a longitude and latitude. */
  point(lon: number, lat: number): { x: number; y: number };
  /** An SVG path for closed rings of [lon, lat]. */
  path(rings: readonly Ring[]): string;
  /** An SVG path for open lines of [lon, lat] (the borders between governorates). */
  lines(lines: readonly Ring[]): string;
}

export function projectionFor(rings: readonly Ring[], width: number, margin = 12): Projection {
  const all = rings.flat();
  const lons = all.map((p) => p[0]);
  const lats = all.map((p) => p[1]);
  const [west, east] = [Math.min(...lons), Math.max(...lons)];
  const [south, north] = [Math.min(...lats), Math.max(...lats)];
  const k = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const scale = (width - 2 * margin) / ((east - west) * k);
  const height = Math.round((north - south) * scale + 2 * margin);
  const round = (n: number) => Math.round(n * 10) / 10;
  const point = (lon: number, lat: number) => ({
    x: round(margin + (lon - west) * k * scale),
    y: round(margin + (north - lat) * scale),
  });
  const draw = (list: readonly Ring[], close: string) =>
    list
      .map(
        (ring) =>
          `${ring
            .map(([lon, lat], i) => {
              const p = point(lon, lat);
              return `${i === 0 ? "M" : "L"}${p.x} ${p.y}`;
            })
            .join("")}${close}`,
      )
      .join("");
  return { width, height, point, path: (rings) => draw(rings, "Z"), lines: (lines) => draw(lines, "") };
}
