import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { messages } from "../i18n/i18n.ts";
import { useSettings } from "../settings/settings.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code } from "../ui/Text.tsx";

/** GET /api/v1/anomalies (core's anomalyView). */
interface Anomaly {
  id: string;
  kind: string;
  raisedSeq: number;
  subjectKind: string;
  subjectId: string;
  detail: string;
}

/** The anomalies the server recorded, newest first; a weapon's anomaly links to the weapon's trail. */
export function AnomalyList({ trailLinks }: { trailLinks: boolean }) {
  const { t } = useTranslation();
  const { language } = useSettings();
  const format = useFormat();
  const kinds = messages[language].dashboard.anomalyKinds;
  const query = useQuery({
    queryKey: ["dashboard", "anomalies"],
    queryFn: () => getJson<{ items: Anomaly[] }>("/api/v1/anomalies?limit=50"),
  });
  const subject = (a: Anomaly) =>
    trailLinks && (a.subjectKind === "weapon" || a.subjectKind === "key_part") ? (
      <Link to={`/trail?kind=${a.subjectKind}&id=${encodeURIComponent(a.subjectId)}`}>
        {t("dashboard.openTrail", { id: a.subjectId.slice(0, 8) })}
      </Link>
    ) : (
      <Code>{`${a.subjectKind} ${a.subjectId.slice(0, 8)}`}</Code>
    );
  return (
    <>
      <h2>{t("dashboard.anomaliesHeading")}</h2>
      <QueryState query={query}>
        {(data) => (
          <DataTable<Anomaly>
            caption={t("dashboard.anomaliesHeading")}
            rows={data.items}
            rowKey={(a) => a.id}
            columns={[
              {
                id: "kind",
                header: t("dashboard.anomalyKind"),
                cell: (a) => (a.kind in kinds ? kinds[a.kind as keyof typeof kinds] : <Code>{a.kind}</Code>),
              },
              {
                id: "seq",
                header: t("dashboard.raisedAt"),
                cell: (a) => format.number(a.raisedSeq),
                numeric: true,
              },
              { id: "subject", header: t("dashboard.subject"), cell: subject },
              {
                id: "detail",
                header: t("dashboard.detail"),
                // The server writes the detail in English.
                cell: (a) => (
                  <span lang="en" dir="ltr">
                    {a.detail}
                  </span>
                ),
              },
            ]}
          />
        )}
      </QueryState>
    </>
  );
}
