import type { CollectionProgressView } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { messages } from "../i18n/i18n.ts";
import { useSettings } from "../settings/settings.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { Code, Entered } from "../ui/Text.tsx";

type Group = CollectionProgressView["byGroup"][number];
/** What this screen reads of GET /api/v1/groups. */
type GroupName = { id: string; nameAr: string; nameEn: string };

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Weapons declared against collected by group and by category, and the ammunition collected. */
export function DeclaredVsCollected({ progress }: { progress: CollectionProgressView }) {
  const { t } = useTranslation();
  const { language } = useSettings();
  const format = useFormat();
  const groups = useQuery({
    queryKey: ["groups"],
    queryFn: () => getJson<{ items: GroupName[] }>("/api/v1/groups"),
    staleTime: 5 * 60_000,
  });
  const names = messages[language];
  const groupName = (id: string) => {
    if (id === "none") return t("dashboard.noGroup");
    const g = groups.data?.items.find((x) => x.id === id);
    return g ? <Entered>{language === "ar" ? g.nameAr : g.nameEn}</Entered> : <Code>{id.slice(0, 8)}</Code>;
  };
  const category = (key: string) =>
    names.categories[key as keyof typeof names.categories] ?? <Code>{key}</Code>;
  const share = (collected: number, declared: number | undefined) =>
    declared ? format.percent(collected / declared) : "";
  const quantities = (q: Record<string, number>) =>
    new Intl.ListFormat(language, { type: "unit", style: "short" }).format(
      Object.entries(q).map(
        ([unit, n]) =>
          `${format.number(n)} ${names.lane.units[unit as keyof typeof names.lane.units] ?? unit}`,
      ),
    );
  return (
    <>
      <h2>{t("dashboard.declaredHeading")}</h2>
      <DataTable<Group>
        caption={t("dashboard.byGroup")}
        rows={progress.byGroup}
        rowKey={(g) => g.group}
        columns={[
          { id: "group", header: t("dashboard.group"), cell: (g) => groupName(g.group) },
          {
            id: "declared",
            header: t("dashboard.declared"),
            cell: (g) => (g.declared ? format.number(total(g.declared.weapons)) : t("dashboard.notDeclared")),
            numeric: true,
          },
          {
            id: "collected",
            header: t("dashboard.collected"),
            cell: (g) => format.number(total(g.collected.weapons)),
            numeric: true,
          },
          {
            id: "share",
            header: t("dashboard.share"),
            cell: (g) =>
              share(total(g.collected.weapons), g.declared ? total(g.declared.weapons) : undefined),
            numeric: true,
          },
          {
            id: "lots",
            header: t("dashboard.lots"),
            cell: (g) => format.number(g.collected.lots),
            numeric: true,
          },
          {
            id: "quantities",
            header: t("dashboard.quantities"),
            cell: (g) => quantities(g.collected.quantity),
            numeric: true,
          },
        ]}
      />
      <DataTable
        caption={t("dashboard.byCategory")}
        rows={progress.byCategory}
        rowKey={(c) => c.category}
        columns={[
          { id: "category", header: t("dashboard.category"), cell: (c) => category(c.category) },
          {
            id: "declared",
            header: t("dashboard.declared"),
            cell: (c) => format.number(c.declared),
            numeric: true,
          },
          {
            id: "collected",
            header: t("dashboard.collected"),
            cell: (c) => format.number(c.collected),
            numeric: true,
          },
          {
            id: "share",
            header: t("dashboard.share"),
            cell: (c) => share(c.collected, c.declared),
            numeric: true,
          },
        ]}
      />
      <p className="muted">{t("dashboard.ammunitionIntro")}</p>
      <DataTable
        caption={t("dashboard.ammunition")}
        rows={progress.ammunition}
        rowKey={(a) => `${a.kind}|${a.unit}`}
        columns={[
          {
            id: "kind",
            header: t("dashboard.kind"),
            cell: (a) =>
              names.lane.ammunitionKinds[a.kind as keyof typeof names.lane.ammunitionKinds] ?? (
                <Code>{a.kind}</Code>
              ),
          },
          {
            id: "unit",
            header: t("dashboard.unit"),
            cell: (a) => names.lane.units[a.unit as keyof typeof names.lane.units] ?? <Code>{a.unit}</Code>,
          },
          { id: "lots", header: t("dashboard.lots"), cell: (a) => format.number(a.lots), numeric: true },
          {
            id: "quantity",
            header: t("dashboard.quantity"),
            cell: (a) => format.number(a.quantity),
            numeric: true,
          },
        ]}
      />
    </>
  );
}
