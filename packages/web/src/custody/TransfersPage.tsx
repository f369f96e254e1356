import { roleMay, type TransferView } from "@armsledger/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../format/format.ts";
import { useAccount } from "../session/session.ts";
import type { Column } from "../ui/DataTable.tsx";
import { Code } from "../ui/Text.tsx";
import { DispatchForm } from "./DispatchForm.tsx";
import { ManifestKind, ReceiveForm } from "./ReceiveForm.tsx";
import { StatusList } from "./StatusList.tsx";
import { SiteName } from "./sites.tsx";

/** GET /api/v1/transfers. */
type Transfer = TransferView;

const statuses = ["in_transit", "received", "received_with_discrepancies"] as const;
type Status = (typeof statuses)[number];
const known = (s: string): s is Status => (statuses as readonly string[]).includes(s);

/**
 * GET /api/v1/transfers, and for those who may (core's policy, as the server enforces it): a
 * dispatch form, and "Receive" on each transfer still in transit.
 */
export function TransfersPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const role = useAccount().data?.role;
  const [dispatching, setDispatching] = useState(false);
  const [receiving, setReceiving] = useState<Transfer | undefined>(undefined);
  const status = (s: string) => (known(s) ? t(`transfers.statuses.${s}`) : s);
  const mayDispatch = role !== undefined && roleMay(role, "custody.dispatch");
  const mayReceive = role !== undefined && roleMay(role, "custody.receive");
  const receiveColumn: Column<Transfer>[] = mayReceive
    ? [
        {
          id: "receive",
          header: t("custody.receive.column"),
          cell: (x) =>
            x.status === "in_transit" ? (
              <button type="button" className="secondary" onClick={() => setReceiving(x)}>
                {t("custody.receive.open", { manifest: x.manifest, id: x.id.slice(0, 8) })}
              </button>
            ) : (
              ""
            ),
        },
      ]
    : [];
  return (
    <StatusList<Transfer, Status>
      id="transfers"
      title={t("transfers.title")}
      path="/api/v1/transfers"
      statuses={statuses}
      allLabel={t("transfers.all")}
      statusLabel={status}
      rowKey={(x) => x.id}
      columns={[
        {
          id: "manifest",
          header: t("transfers.manifest"),
          cell: (x) => <ManifestKind manifest={x.manifest} />,
        },
        { id: "from", header: t("transfers.from"), cell: (x) => <SiteName id={x.fromSiteId} /> },
        { id: "to", header: t("transfers.to"), cell: (x) => <SiteName id={x.toSiteId} /> },
        { id: "dispatched", header: t("transfers.dispatched"), cell: (x) => format.dateTime(x.dispatchedAt) },
        {
          id: "sent",
          header: t("transfers.atDispatch"),
          cell: (x) => format.number(x.countAtDispatch),
          numeric: true,
        },
        {
          id: "received-count",
          header: t("transfers.atReceipt"),
          cell: (x) => (x.countAtReceipt === null ? "" : format.number(x.countAtReceipt)),
          numeric: true,
        },
        {
          id: "received",
          header: t("transfers.received"),
          cell: (x) => (x.receivedAt ? format.dateTime(x.receivedAt) : ""),
        },
        {
          id: "seals",
          header: t("transfers.seals"),
          cell: (x) =>
            x.seals.map((s) => (
              <span key={s}>
                <Code>{s}</Code>{" "}
              </span>
            )),
        },
        { id: "status", header: t("transfers.status"), cell: (x) => status(x.status) },
        ...receiveColumn,
      ]}
    >
      {receiving && (
        <ReceiveForm key={receiving.id} transfer={receiving} onClose={() => setReceiving(undefined)} />
      )}
      {mayDispatch &&
        !receiving &&
        (dispatching ? (
          <>
            <DispatchForm />
            <button type="button" className="secondary" onClick={() => setDispatching(false)}>
              {t("custody.close")}
            </button>
          </>
        ) : (
          <div className="actions">
            <button type="button" onClick={() => setDispatching(true)}>
              {t("custody.dispatch.open")}
            </button>
          </div>
        ))}
    </StatusList>
  );
}
