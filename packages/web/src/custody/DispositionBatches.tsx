import { destructionMethods, retentionPurposes } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code, Entered } from "../ui/Text.tsx";
import { SiteName } from "./sites.tsx";

/** A batch as GET /api/v1/dispositions gives it: what was done, where, when, to how many items. */
interface Batch {
  id: string;
  kind: string;
  siteId: string;
  /** A destruction's method, a deactivation's standard, a retention's purpose. */
  method: string | null;
  at: string;
  itemCount: number;
  independentWitnesses: number;
  seq: number;
}

const batchKinds = ["destruction", "transfer_to_state", "deactivation", "retention"] as const;
const isOneOf = <T extends string>(list: readonly T[], s: string | null): s is T =>
  s !== null && (list as readonly string[]).includes(s);

/**
 * Past disposition batches at the reader's sites, newest first, each destruction with its
 * certificate (GET /api/v1/dispositions/:id/certificate.pdf). No one is named: operators and
 * witnesses are on the certificate.
 */
export function DispositionBatches() {
  const { t } = useTranslation();
  const format = useFormat();
  const batches = useQuery({
    queryKey: ["dispositions"],
    queryFn: () => getJson<{ items: Batch[] }>("/api/v1/dispositions"),
  });
  const how = (b: Batch) => {
    if (b.kind === "destruction" && isOneOf(destructionMethods, b.method))
      return t(`dispositions.methods.${b.method}`);
    if (b.kind === "retention" && isOneOf(retentionPurposes, b.method))
      return t(`dispositions.purposes.${b.method}`);
    return <Entered>{b.method ?? "—"}</Entered>;
  };
  return (
    <QueryState query={batches}>
      {({ items }) => (
        <DataTable<Batch>
          caption={t("dispositions.past.title")}
          rows={items}
          rowKey={(b) => b.id}
          columns={[
            {
              id: "batch",
              header: t("dispositions.past.batch"),
              cell: (b) => <Code>{b.id.slice(0, 8)}</Code>,
            },
            {
              id: "kind",
              header: t("dispositions.past.kind"),
              cell: (b) => (isOneOf(batchKinds, b.kind) ? t(`dispositions.past.kinds.${b.kind}`) : b.kind),
            },
            { id: "site", header: t("dispositions.past.site"), cell: (b) => <SiteName id={b.siteId} /> },
            { id: "at", header: t("dispositions.past.at"), cell: (b) => format.dateTime(b.at) },
            { id: "how", header: t("dispositions.past.how"), cell: how },
            {
              id: "items",
              header: t("dispositions.past.items"),
              cell: (b) => format.number(b.itemCount),
              numeric: true,
            },
            {
              id: "certificate",
              header: t("dispositions.past.certificate"),
              cell: (b) =>
                b.kind === "destruction" ? (
                  <a href={`/api/v1/dispositions/${b.id}/certificate.pdf`}>
                    {t("dispositions.past.certificateOf", { batch: b.id.slice(0, 8) })}
                  </a>
                ) : (
                  "—"
                ),
            },
          ]}
        />
      )}
    </QueryState>
  );
}
