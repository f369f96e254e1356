import { type KeyPartName, keyPartNames, receive, type TransferView } from "@armsledger/core";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useFormat } from "../format/format.ts";
import { integer } from "../format/parse.ts";
import { Choice } from "../ui/Choice.tsx";
import { Code, Entered } from "../ui/Text.tsx";
import {
  type ErrorAt,
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
import { useKeyPartName } from "./KeyPartForms.tsx";
import { ManifestCheck } from "./ManifestCheck.tsx";
import { SiteName } from "./sites.tsx";

const discrepancyKinds = ["missing_item", "broken_seal", "unexpected_item", "count_mismatch"] as const;
type DiscrepancyKind = (typeof discrepancyKinds)[number];

/** What custody.received answers that the form shows: each difference opened a discrepancy. */
interface Received {
  transferId: string;
  /** A key part missing off a weapon that arrived names the part. */
  discrepancies: { kind: string; part?: string }[];
}

/** A key part recorded off a weapon that arrived: found apart in the load, or missing. */
interface PartRow {
  key: number;
  weaponId: string;
  part: KeyPartName | "";
  how: "missing" | "apart";
  serial: string;
}

/** Each row's list in the command (keyPartsApart or keyPartsMissing) and its place in that list. */
function partPaths(rows: readonly PartRow[]): string[] {
  const seen = { apart: 0, missing: 0 };
  return rows.map((r) =>
    r.how === "missing"
      ? `payload.keyPartsMissing.${seen.missing++}`
      : `payload.keyPartsApart.${seen.apart++}`,
  );
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
  /^payload\.keyParts(Apart|Missing)\.\d+(\.weaponId|\.part|\.serial)?$/u,
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
  const [parts, setParts] = useState<PartRow[]>([]);
  const partName = useKeyPartName();
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
        keyPartsApart: parts
          .filter((p) => p.how !== "missing")
          .map((p) => ({ weaponId: p.weaponId, part: p.part || undefined, serial: optional(p.serial) })),
        keyPartsMissing: parts
          .filter((p) => p.how === "missing")
          .map((p) => ({ weaponId: p.weaponId, part: p.part || undefined })),
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
                <li key={n}>
                  {d.part ? t("keyParts.receipt.missingPart", { part: partName(d.part) }) : kind(d.kind)}
                </li>
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
        <ManifestKind manifest={transfer.manifest} /> · <SiteName id={transfer.fromSiteId} /> →{" "}
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
      <KeyPartRows rows={parts} onChange={setParts} weapons={items} error={error} />
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

/** The kind of a manifest (weapons, ammunition, loose key parts, mixed) in the reader's language. */
export function ManifestKind({ manifest }: { manifest: string }) {
  const { t } = useTranslation();
  const kinds = ["weapon", "ammunition", "key_part", "mixed"] as const;
  return (kinds as readonly string[]).includes(manifest) ? (
    <>{t(`keyParts.manifests.${manifest as (typeof kinds)[number]}`)}</>
  ) : (
    <Entered>{manifest}</Entered>
  );
}

/**
 * The key parts found off the weapons that arrived: for each, the weapon (among those scanned in),
 * the part, and whether it came apart in the load (its own serial, if marked) or not at all.
 */
function KeyPartRows({
  rows,
  onChange,
  weapons,
  error,
}: {
  rows: PartRow[];
  onChange: (rows: PartRow[]) => void;
  weapons: readonly PickedItem[];
  error: ErrorAt;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const partName = useKeyPartName();
  const arrived = weapons.filter((w) => w.kind === "weapon");
  const label = new Map(arrived.map((w) => [w.id, w.label]));
  const paths = partPaths(rows);
  return (
    <fieldset>
      <legend>{t("keyParts.receipt.legend")}</legend>
      <p className="hint">{t("keyParts.receipt.hint")}</p>
      {rows.map((r, n) => {
        const set = (x: Partial<PartRow>) =>
          onChange(rows.map((y) => (y.key === r.key ? { ...y, ...x } : y)));
        const at = paths[n]!;
        const no = format.number(n + 1);
        return (
          <div className="form-grid" key={r.key}>
            <Choice
              label={t("keyParts.receipt.weapon", { n: no })}
              value={r.weaponId}
              options={arrived.map((w) => w.id)}
              optionLabel={(id) => label.get(id) ?? id.slice(0, 8)}
              onChange={(weaponId) => set({ weaponId })}
              prompt={t("lane.choosePrompt")}
              error={error(`${at}.weaponId`)}
            />
            <Choice
              label={t("keyParts.receipt.part", { n: no })}
              value={r.part}
              options={keyPartNames}
              optionLabel={partName}
              onChange={(part) => set({ part })}
              prompt={t("lane.choosePrompt")}
              error={error(`${at}.part`, at)}
            />
            <Choice
              label={t("keyParts.receipt.how", { n: no })}
              value={r.how}
              options={["missing", "apart"] as const}
              optionLabel={(o) => t(`keyParts.receipt.${o}`)}
              onChange={(how) => set({ how: how || "missing" })}
            />
            {r.how === "apart" && (
              <TextField
                label={t("keyParts.receipt.serial", { n: no })}
                value={r.serial}
                onChange={(serial) => set({ serial })}
                error={error(`${at}.serial`)}
                code
              />
            )}
            <button
              type="button"
              className="secondary"
              onClick={() => onChange(rows.filter((y) => y.key !== r.key))}
            >
              {t("keyParts.receipt.remove", { n: no })}
            </button>
          </div>
        );
      })}
      {arrived.length === 0 ? (
        <p className="hint">{t("keyParts.receipt.noWeapon")}</p>
      ) : (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            onChange([...rows, { key: nextKey++, weaponId: "", part: "", how: "missing", serial: "" }])
          }
        >
          {t("keyParts.receipt.add")}
        </button>
      )}
      {(error("payload.keyPartsApart") || error("payload.keyPartsMissing")) && (
        <p className="error">{error("payload.keyPartsApart", "payload.keyPartsMissing")}</p>
      )}
    </fieldset>
  );
}
