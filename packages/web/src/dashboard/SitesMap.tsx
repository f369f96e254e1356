import { cacheStatuses, iraqGovernorates, type SiteView, siteKinds } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { messages } from "../i18n/i18n.ts";
import { useSettings } from "../settings/settings.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code, Entered } from "../ui/Text.tsx";
import outline from "./iraq-outline.json";
import { projectionFor, type Ring } from "./map-projection.ts";

// Iraq's border and the borders between its governorates from data shipped with the app
// (scripts/iraq-outline.ts), sites where the API
// places them, and cache reports counted by governorate at the governorate's capital: GET
// /api/v1/caches gives no exact location, and the dashboard asks for none (the protected location
// travels with the informant's details, which a map has no need of). Every point is a link to its
// line in the lists under the map, which say the same in words.

/** What the map reads of GET /api/v1/caches. */
interface CacheReport {
  id: string;
  governorate: string;
  status: string;
}

const MAP_WIDTH = 480;
const CACHE_OFFSET = 9;

export function SitesMap({ showCaches }: { showCaches: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const projection = useMemo(() => projectionFor(outline.rings as unknown as Ring[], MAP_WIDTH), []);
  const sites = useQuery({
    queryKey: ["sites"],
    queryFn: () => getJson<{ items: SiteView[] }>("/api/v1/sites"),
    staleTime: 5 * 60_000,
  });
  const caches = useQuery({
    queryKey: ["dashboard", "caches"],
    queryFn: () => getJson<{ items: CacheReport[] }>("/api/v1/caches?limit=1000"),
    enabled: showCaches,
  });
  const byGovernorate = useMemo(() => cachesByGovernorate(caches.data?.items ?? []), [caches.data]);
  const names = useNames();
  return (
    <>
      <h2 id={`${id}-heading`}>{showCaches ? t("dashboard.mapHeading") : t("dashboard.mapHeadingSites")}</h2>
      <QueryState query={sites}>
        {(data) => (
          <>
            <figure className="map">
              {/* biome-ignore lint/a11y/useSemanticElements: an SVG holding links is a group, not a fieldset */}
              <svg
                viewBox={`0 0 ${projection.width} ${projection.height}`}
                role="group"
                aria-label={showCaches ? t("dashboard.mapLabelCaches") : t("dashboard.mapLabel")}
              >
                <path className="map-land" d={projection.path(outline.rings as unknown as Ring[])} />
                <path className="map-borders" d={projection.lines(outline.borders as unknown as Ring[])} />
                {data.items.map((s) => {
                  const p = projection.point(s.lon, s.lat);
                  return (
                    <a key={s.id} href={`#map-site-${s.id}`} aria-label={names.siteLabel(s)}>
                      <circle className={`map-site map-site-${s.kind}`} cx={p.x} cy={p.y} r={6} />
                    </a>
                  );
                })}
                {showCaches &&
                  byGovernorate.map((g) => {
                    const capital = iraqGovernorates.find((x) => x.code === g.governorate)?.capital;
                    if (!capital) return null;
                    const p = projection.point(capital.lon, capital.lat);
                    return (
                      <a
                        key={g.governorate}
                        href={`#map-caches-${g.governorate}`}
                        aria-label={names.cachesLabel(g.governorate, g.count)}
                      >
                        <rect
                          className="map-cache"
                          x={p.x + CACHE_OFFSET - 6}
                          y={p.y - CACHE_OFFSET - 6}
                          width={12}
                          height={12}
                          transform={`rotate(45 ${p.x + CACHE_OFFSET} ${p.y - CACHE_OFFSET})`}
                        />
                      </a>
                    );
                  })}
              </svg>
              <figcaption className="muted">
                {t("dashboard.mapSource")} {showCaches && t("dashboard.cachesPrecision")}
              </figcaption>
            </figure>
            <h3>{t("dashboard.sitesList")}</h3>
            <ul className="map-list">
              {data.items.map((s) => (
                <li key={s.id} id={`map-site-${s.id}`}>
                  <span className={`map-key map-site-${s.kind}`} aria-hidden="true" />
                  {names.siteLine(s)}
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryState>
      {showCaches && (
        <>
          <h3>{t("dashboard.cachesList")}</h3>
          <QueryState query={caches}>
            {() =>
              byGovernorate.length === 0 ? (
                <p>{t("dashboard.noCaches")}</p>
              ) : (
                <ul className="map-list">
                  {byGovernorate.map((g) => (
                    <li key={g.governorate} id={`map-caches-${g.governorate}`}>
                      <span className="map-key map-cache" aria-hidden="true" />
                      {names.cachesLabel(g.governorate, g.count)} ({names.statuses(g.byStatus)})
                    </li>
                  ))}
                </ul>
              )
            }
          </QueryState>
        </>
      )}
    </>
  );
}

export function cachesByGovernorate(caches: readonly CacheReport[]) {
  const out = new Map<string, { governorate: string; count: number; byStatus: Record<string, number> }>();
  for (const c of caches) {
    const g = out.get(c.governorate) ?? { governorate: c.governorate, count: 0, byStatus: {} };
    g.count++;
    g.byStatus[c.status] = (g.byStatus[c.status] ?? 0) + 1;
    out.set(c.governorate, g);
  }
  return [...out.values()].sort((a, b) => a.governorate.localeCompare(b.governorate));
}

/** The words for the map's points, the same in the points' labels and in the lists. */
function useNames() {
  const { t } = useTranslation();
  const { language } = useSettings();
  const format = useFormat();
  const m = messages[language].dashboard;
  const governorate = (code: string) => iraqGovernorates.find((g) => g.code === code)?.[language] ?? code;
  const kind = (k: string) =>
    (siteKinds as readonly string[]).includes(k) ? m.siteKinds[k as keyof typeof m.siteKinds] : k;
  const siteName = (s: SiteView) => (language === "ar" ? s.nameAr : s.nameEn);
  return {
    siteLabel: (s: SiteView) =>
      t("dashboard.siteLabel", {
        name: siteName(s),
        kind: kind(s.kind),
        governorate: governorate(s.governorate),
      }),
    siteLine: (s: SiteView) => (
      <>
        <Entered>{siteName(s)}</Entered> <Code>{s.code}</Code>:{" "}
        {t("dashboard.siteDetail", { kind: kind(s.kind), governorate: governorate(s.governorate) })} (
        {t("dashboard.coordinates", { lat: format.number(s.lat), lon: format.number(s.lon) })})
      </>
    ),
    cachesLabel: (code: string, count: number) =>
      t("dashboard.cachesLabel", { governorate: governorate(code), count: format.number(count) }),
    statuses: (byStatus: Record<string, number>) =>
      new Intl.ListFormat(language, { type: "unit", style: "short" }).format(
        Object.entries(byStatus).map(
          ([s, n]) =>
            `${(cacheStatuses as readonly string[]).includes(s) ? m.cacheStatuses[s as keyof typeof m.cacheStatuses] : s} ${format.number(n)}`,
        ),
      ),
  };
}
