import type { DiscrepancyView } from "@armsledger/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useFormat } from "../format/format.ts";
import { Code } from "../ui/Text.tsx";
import { useKeyPartName } from "./KeyPartForms.tsx";
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
  const partName = useKeyPartName();
  const kind = (k: string) =>
    (kinds as readonly string[]).includes(k) ? t(`discrepancies.kinds.${k as (typeof kinds)[number]}`) : k;
  // A key part missing off a weapon that arrived names the part.
  const what = (x: Discrepancy) => {
    const part = (x.detail as { part?: unknown } | null)?.part;
    return typeof part === "string"
      ? t("keyParts.receipt.missingPart", { part: partName(part) })
      : kind(x.kind);
  };
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
        { id: "kind", header: t("discrepancies.kind"), cell: what },
        {
          id: "transfer",
          header: t("discrepancies.transfer"),
          cell: (x) => <Code>{x.transferId.slice(0, 8)}</Code>,
        },
        {
          id: "item",
          header: t("discrepancies.item"),
          cell: (x) =>
            x.itemId && x.itemKind ? (
              <Link to={`/trail?kind=${x.itemKind}&id=${x.itemId}`}>
                <Code>{`${x.itemKind} ${x.itemId.slice(0, 8)}`}</Code>
              </Link>
            ) : (
              ""
            ),
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
