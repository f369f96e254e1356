import { type CollectionProgressView, roleMay } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useAccount } from "../session/session.ts";
import { QueryState } from "../ui/Query.tsx";
import { AnomalyList } from "./AnomalyList.tsx";
import { DeclaredVsCollected } from "./DeclaredVsCollected.tsx";
import "./dashboard.css";
import { ProgressChart } from "./ProgressChart.tsx";
import { SitesMap } from "./SitesMap.tsx";

/**
 * The programme dashboard (`/dashboard`, action report.collection). Each part asks the API for
 * its own data, and only the parts the reader's role may read are shown: caches on the map to
 * those who may read cache reports, anomalies to those who may read anomalies.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  const role = useAccount().data?.role;
  const progress = useQuery({
    queryKey: ["dashboard", "progress"],
    queryFn: () => getJson<CollectionProgressView>("/api/v1/reports/collection-progress"),
  });
  return (
    <section aria-labelledby="dashboard-title" className="dashboard">
      <h1 id="dashboard-title">{t("dashboard.title")}</h1>
      <p>{t("dashboard.intro")}</p>
      <QueryState query={progress}>
        {(p) => (
          <>
            {!p.wholeProgramme && <p className="notice">{t("dashboard.scoped")}</p>}
            <DeclaredVsCollected progress={p} />
            <ProgressChart byDay={p.byDay} />
          </>
        )}
      </QueryState>
      <SitesMap showCaches={role !== undefined && roleMay(role, "cache.read")} />
      {role !== undefined && roleMay(role, "anomaly.read") && (
        <AnomalyList trailLinks={roleMay(role, "item.trail")} />
      )}
    </section>
  );
}
