import { iraqGovernorates, pathwayKinds } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { useSettings } from "../settings/settings.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";

/** A placement whose follow-up is past its day, as GET /api/v1/pathways/follow-ups lists it. */
interface FollowUp {
  pathwayId: string;
  personId: string;
  kind: string;
  governorate: string;
  placedOn: string;
  nextFollowUpDue: string;
  followUpsDone: number;
  followUpsScheduled: number;
  lastFollowUpOn: string | null;
  daysOverdue: number;
}

const known = (k: string): k is (typeof pathwayKinds)[number] =>
  (pathwayKinds as readonly string[]).includes(k);

/**
 * The case worker's list of overdue follow-ups, most overdue as the API orders them; each leads to
 * the person's record (a logged view). No names here: the list names no one until a record is opened.
 */
export function ReintegrationPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { language } = useSettings();
  const followUps = useQuery({
    queryKey: ["pathways", "follow-ups", "overdue"],
    queryFn: () => getJson<{ asOf: string; items: FollowUp[] }>("/api/v1/pathways/follow-ups?overdue=true"),
  });
  const governorate = (code: string) => iraqGovernorates.find((g) => g.code === code)?.[language] ?? code;
  return (
    <section aria-labelledby="reintegration-title">
      <h1 id="reintegration-title">{t("reintegration.title")}</h1>
      <QueryState query={followUps}>
        {({ asOf, items }) => (
          <DataTable<FollowUp>
            caption={t("reintegration.overdue", { asOf: format.day(asOf) })}
            rows={items}
            rowKey={(f) => f.pathwayId}
            columns={[
              {
                id: "kind",
                header: t("reintegration.kind"),
                cell: (f) => (known(f.kind) ? t(`reintegration.kinds.${f.kind}`) : f.kind),
              },
              {
                id: "governorate",
                header: t("reintegration.governorate"),
                cell: (f) => governorate(f.governorate),
              },
              { id: "placed", header: t("reintegration.placedOn"), cell: (f) => format.day(f.placedOn) },
              { id: "due", header: t("reintegration.due"), cell: (f) => format.day(f.nextFollowUpDue) },
              {
                id: "late",
                header: t("reintegration.daysOverdue"),
                cell: (f) => format.number(f.daysOverdue),
                numeric: true,
              },
              {
                id: "done",
                header: t("reintegration.done"),
                cell: (f) =>
                  t("reintegration.doneOf", {
                    done: format.number(f.followUpsDone),
                    of: format.number(f.followUpsScheduled),
                  }),
              },
              {
                id: "open",
                header: t("reintegration.person"),
                cell: (f) => (
                  <Link to={`/persons/${f.personId}`}>
                    {t("reintegration.openRecord", { id: f.personId.slice(0, 8) })}
                  </Link>
                ),
              },
            ]}
          />
        )}
      </QueryState>
      <p className="hint">{t("persons.recorded")}</p>
    </section>
  );
}
