// Writes src/dashboard/iraq-outline.json, the outline the dashboard's map draws: Iraq's border
// from Natural Earth (public domain) as packaged by world-atlas (TopoJSON, ISC), converted with
// topojson-client and rounded to 0.01° (about 1 km, finer than the map is ever drawn). The app
// ships the small derived file, never the world file, and fetches no tiles.
// Run again after updating world-atlas: `npx node packages/web/scripts/iraq-outline.ts`.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { MultiPolygon, Polygon } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";

const IRAQ = "368"; // ISO 3166-1 numeric, the id world-atlas gives each country

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
const rings = polygons.map((polygon) =>
  polygon[0]!
    .map(([lon, lat]) => [round(lon!), round(lat!)] as const)
    .filter((p, i, all) => i === 0 || p[0] !== all[i - 1]![0] || p[1] !== all[i - 1]![1]),
);
const out = {
  source: `Natural Earth 1:50m admin-0 countries (public domain), via world-atlas ${atlasVersion} (ISC), Iraq (ISO 3166-1 ${IRAQ}); rounded to 0.01 degrees`,
  rings,
};
const target = fileURLToPath(new URL("../src/dashboard/iraq-outline.json", import.meta.url));
writeFileSync(target, `${JSON.stringify(out)}\n`);
console.log(`${target}: ${rings.length} ring(s), ${rings.reduce((n, r) => n + r.length, 0)} points`);
