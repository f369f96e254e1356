import type { DiscrepancyView } from "@armsledger/core";
import { useTranslation } from "react-i18next";
import { useFormat } from "../format/format.ts";
import { Code } from "../ui/Text.tsx";
import { StatusList } from "./StatusList.tsx";

/** GET /api/v1/discrepancies. */
type Discrepancy = DiscrepancyView;

const statuses = ["open", "resolved"] as const;
type Status = (typeof statuses)[number];
const kinds = ["missing_item", "broken_seal", "unexpected_item", "count_mismatch"] as const;

export function DiscrepanciesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const status = (s: string) =>
    (statuses as readonly string[]).includes(s) ? t(`discrepancies.statuses.${s as Status}`) : s;
  const kind = (k: string) =>
    (kinds as readonly string[]).includes(k) ? t(`discrepancies.kinds.${k as (typeof kinds)[number]}`) : k;
  return (
    <StatusList<Discrepancy, Status>
      id="discrepancies"
      title={t("discrepancies.title")}
      path="/api/v1/discrepancies"
      statuses={statuses}
      allLabel={t("discrepancies.all")}
      statusLabel={status}
      rowKey={(x) => x.id}
      columns={[
        { id: "kind", header: t("discrepancies.kind"), cell: (x) => kind(x.kind) },
        {
          id: "transfer",
          header: t("discrepancies.transfer"),
          cell: (x) => <Code>{x.transferId.slice(0, 8)}</Code>,
        },
        {
          id: "item",
          header: t("discrepancies.item"),
          cell: (x) => (x.itemId ? <Code>{`${x.itemKind ?? ""} ${x.itemId.slice(0, 8)}`}</Code> : ""),
        },
        {
          id: "opened",
          header: t("discrepancies.opened"),
          cell: (x) => format.number(x.openedSeq),
          numeric: true,
        },
        { id: "status", header: t("discrepancies.status"), cell: (x) => status(x.status) },
      ]}
    />
  );
}
