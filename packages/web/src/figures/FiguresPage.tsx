import { iraqGovernorates } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { messages } from "../i18n/i18n.ts";
import { useSettings } from "../settings/settings.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code } from "../ui/Text.tsx";

type Cell = number | null;
type Breakdown = { key: string; count: Cell }[];

/** GET /api/v1/public/figures (packages/server/src/http/routes/public.ts). null: withheld. */
export interface PublicFigures {
  size: number;
  minimumCell: number;
  persons: { registered: Cell; byGovernorate: Breakdown };
  handovers: { count: Cell; byDay: Breakdown };
  weapons: { total: Cell; serviceable: Cell; byCategory: Breakdown; byGovernorate: Breakdown };
  ammunition: { rounds: Cell };
}

export function FiguresPage() {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ["public", "figures"],
    queryFn: () => getJson<PublicFigures>("/api/v1/public/figures"),
  });
  return (
    <section aria-labelledby="figures-title">
      <h1 id="figures-title">{t("figures.title")}</h1>
      <QueryState query={query}>{(figures) => <Figures figures={figures} />}</QueryState>
    </section>
  );
}

function Figures({ figures }: { figures: PublicFigures }) {
  const { t } = useTranslation();
  const { language } = useSettings();
  const format = useFormat();
  const min = format.number(figures.minimumCell);
  const count = (n: Cell) =>
    n === null ? <span className="withheld">{t("figures.suppressed", { min })}</span> : format.number(n);
  const governorate = (code: string) => {
    const g = iraqGovernorates.find((x) => x.code === code);
    return g ? g[language] : <Code>{code}</Code>;
  };
  const category = (key: string) =>
    messages[language].categories[key as keyof (typeof messages)["en"]["categories"]] ?? <Code>{key}</Code>;
  const table = (caption: string, keyHeader: string, rows: Breakdown, label: (key: string) => ReactNode) => (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(r) => r.key}
      columns={[
        { id: "key", header: keyHeader, cell: (r) => label(r.key) },
        { id: "count", header: t("figures.count"), cell: (r) => count(r.count), numeric: true },
      ]}
    />
  );
  return (
    <>
      <p>{t("figures.intro", { min })}</p>
      <p className="muted">{t("figures.asOf", { size: format.number(figures.size) })}</p>
      <h2>{t("figures.totals")}</h2>
      <dl className="figures">
        <dt>{t("figures.persons")}</dt>
        <dd>{count(figures.persons.registered)}</dd>
        <dt>{t("figures.handovers")}</dt>
        <dd>{count(figures.handovers.count)}</dd>
        <dt>{t("figures.weapons")}</dt>
        <dd>{count(figures.weapons.total)}</dd>
        <dt>{t("figures.serviceable")}</dt>
        <dd>{count(figures.weapons.serviceable)}</dd>
        <dt>{t("figures.rounds")}</dt>
        <dd>{count(figures.ammunition.rounds)}</dd>
      </dl>
      {table(t("figures.byCategory"), t("figures.category"), figures.weapons.byCategory, category)}
      {table(
        t("figures.byGovernorate"),
        t("figures.governorate"),
        figures.weapons.byGovernorate,
        governorate,
      )}
      {table(
        t("figures.personsByGovernorate"),
        t("figures.governorate"),
        figures.persons.byGovernorate,
        governorate,
      )}
      {table(t("figures.handoversByDay"), t("figures.day"), figures.handovers.byDay, (day: string) =>
        format.day(day),
      )}
    </>
  );
}
