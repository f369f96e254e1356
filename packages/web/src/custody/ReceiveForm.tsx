import { receive, type TransferView } from "@armsledger/core";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useFormat } from "../format/format.ts";
import { integer } from "../format/parse.ts";
import { Code, Entered } from "../ui/Text.tsx";
import {
  FormActions,
  isoDateTime,
  localDateTime,
  noSignatory,
  optional,
  SignatoryFields,
  TextField,
  useCommandForm,
} from "./form.tsx";
import { ItemPicker, itemRefs, type PickedItem } from "./ItemPicker.tsx";
import { ManifestCheck } from "./ManifestCheck.tsx";
import { SiteName } from "./sites.tsx";

const discrepancyKinds = ["missing_item", "broken_seal", "unexpected_item", "count_mismatch"] as const;
type DiscrepancyKind = (typeof discrepancyKinds)[number];

/** What custody.received answers that the form shows: each difference opened a discrepancy. */
interface Received {
  transferId: string;
  discrepancies: { kind: string }[];
}

interface Unexpected {
  key: number;
  description: string;
  serial: string;
}

const placed = [
  /^payload\.(transferId|receivedAt|countAtReceipt)$/u,
  /^payload\.items(\.\d+)?$/u,
  /^payload\.sealsIntact(\.\d+)?$/u,
  /^payload\.unexpected\.\d+(\.description|\.serial)?$/u,
  /^payload\.location(\.store|\.container|\.rack)?$/u,
  /^payload\.countersignedBy(\.name|\.affiliation)?$/u,
];

let nextKey = 1;

/**
 * custody.receive: what arrived, scanned item by item, the seals found intact (those not ticked
 * are recorded as broken), items that came but were not on the manifest, the count at receipt and
 * where the load is stored. Any difference from the dispatch opens a discrepancy, which the form
 * then names.
 */
export function ReceiveForm({ transfer, onClose }: { transfer: TransferView; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queries = useQueryClient();
  const [at, setAt] = useState(() => localDateTime());
  const [items, setItems] = useState<PickedItem[]>([]);
  const [intact, setIntact] = useState<string[]>([]);
  const [unexpected, setUnexpected] = useState<Unexpected[]>([]);
  const [count, setCount] = useState("");
  const [store, setStore] = useState("");
  const [container, setContainer] = useState("");
  const [rack, setRack] = useState("");
  const [countersigned, setCountersigned] = useState(noSignatory);
  const [done, setDone] = useState<Received | undefined>(undefined);
  const form = useCommandForm<Received>("custody.receive", receive);
  const { error } = form;

  function submit(event: FormEvent) {
    event.preventDefault();
    form.send(
      {
        transferId: transfer.id,
        receivedAt: isoDateTime(at),
        items: itemRefs(items),
        unexpected: unexpected.map((u) => ({ description: u.description, serial: optional(u.serial) })),
        countAtReceipt: integer(count),
        sealsIntact: intact,
        location: { store, container: optional(container), rack: optional(rack) },
        countersignedBy: countersigned,
      },
      (answer) => {
        setDone(answer.data);
        void queries.invalidateQueries({ queryKey: ["transfers"] });
        void queries.invalidateQueries({ queryKey: ["discrepancies"] });
        void queries.invalidateQueries({ queryKey: ["site-items"] });
      },
    );
  }

  const kind = (k: string) =>
    (discrepancyKinds as readonly string[]).includes(k)
      ? t(`discrepancies.kinds.${k as DiscrepancyKind}`)
      : k;

  if (done) {
    const opened = done.discrepancies;
    return (
      <div className={opened.length ? "notice notice-warning" : "notice notice-ok"} role="status">
        {opened.length === 0 ? (
          <p>{t("custody.receive.done")}</p>
        ) : (
          <>
            <p>{t("custody.receive.discrepancies", { n: format.number(opened.length) })}</p>
            <ul>
              {opened.map((d, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the answer's order is the discrepancies' order.
                <li key={n}>{kind(d.kind)}</li>
              ))}
            </ul>
            <Link to="/discrepancies">{t("custody.receive.seeDiscrepancies")}</Link>
          </>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t("custody.close")}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="receive-title" className="work-form">
      <h2 id="receive-title">{t("custody.receive.title")}</h2>
      <p>
        <Entered>{transfer.manifest}</Entered> · <SiteName id={transfer.fromSiteId} /> →{" "}
        <SiteName id={transfer.toSiteId} /> ·{" "}
        {t("custody.receive.sent", { n: format.number(transfer.countAtDispatch) })} ·{" "}
        <Code>{transfer.id.slice(0, 8)}</Code>
      </p>
      {error("payload.transferId") && <p className="error">{error("payload.transferId")}</p>}
      <TextField
        label={t("custody.receive.at")}
        type="datetime-local"
        value={at}
        onChange={setAt}
        error={error("payload.receivedAt")}
      />
      <ItemPicker
        legend={t("custody.receive.items")}
        at="payload.items"
        items={items}
        onChange={setItems}
        error={error}
      />
      <ManifestCheck transferId={transfer.id} items={items} onChange={setItems} />
      <fieldset>
        <legend>{t("custody.receive.seals")}</legend>
        <div className="checks">
          {transfer.seals.map((seal) => (
            <label key={seal}>
              <input
                type="checkbox"
                checked={intact.includes(seal)}
                onChange={(e) =>
                  setIntact(e.target.checked ? [...intact, seal] : intact.filter((s) => s !== seal))
                }
              />{" "}
              <Code>{seal}</Code>
            </label>
          ))}
        </div>
        {error("payload.sealsIntact") && <p className="error">{error("payload.sealsIntact")}</p>}
      </fieldset>
      <fieldset>
        <legend>{t("custody.receive.unexpected")}</legend>
        {unexpected.map((u, n) => {
          const set = (x: Partial<Unexpected>) =>
            setUnexpected(unexpected.map((y) => (y.key === u.key ? { ...y, ...x } : y)));
          return (
            <div className="form-grid" key={u.key}>
              <TextField
                label={t("custody.receive.description", { n: format.number(n + 1) })}
                value={u.description}
                onChange={(description) => set({ description })}
                error={error(`payload.unexpected.${n}.description`, `payload.unexpected.${n}`)}
              />
              <TextField
                label={t("custody.receive.serial", { n: format.number(n + 1) })}
                value={u.serial}
                onChange={(serial) => set({ serial })}
                error={error(`payload.unexpected.${n}.serial`)}
                code
              />
            </div>
          );
        })}
        <button
          type="button"
          className="secondary"
          onClick={() => setUnexpected([...unexpected, { key: nextKey++, description: "", serial: "" }])}
        >
          {t("custody.receive.addUnexpected")}
        </button>
      </fieldset>
      <div className="form-grid">
        <TextField
          label={t("custody.receive.count")}
          hint={t("custody.receive.countHint")}
          value={count}
          onChange={setCount}
          error={error("payload.countAtReceipt")}
          code
        />
        <TextField
          label={t("custody.location.store")}
          value={store}
          onChange={setStore}
          error={error("payload.location.store", "payload.location")}
        />
        <TextField
          label={t("custody.location.container")}
          value={container}
          onChange={setContainer}
          error={error("payload.location.container")}
        />
        <TextField
          label={t("custody.location.rack")}
          value={rack}
          onChange={setRack}
          error={error("payload.location.rack")}
        />
      </div>
      <SignatoryFields
        legend={t("custody.countersignedBy")}
        at="payload.countersignedBy"
        value={countersigned}
        onChange={setCountersigned}
        error={error}
      />
      {form.refusal(placed)}
      <FormActions pending={form.command.isPending} label={t("custody.receive.submit")} onCancel={onClose} />
    </form>
  );
}
