import {
  deactivation,
  destruction,
  destructionMethods,
  retention,
  retentionPurposes,
  roleMay,
  stateTransfer,
} from "@armsledger/core";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { postBytes } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { useAccount } from "../session/session.ts";
import { Choice } from "../ui/Choice.tsx";
import { Field } from "../ui/Field.tsx";
import { ProblemNotice } from "../ui/Problem.tsx";
import { Code } from "../ui/Text.tsx";
import { DispositionBatches } from "./DispositionBatches.tsx";
import {
  FormActions,
  noSignatory,
  optional,
  type Signatory,
  SignatoryFields,
  SignatoryList,
  TextField,
  useCommandForm,
} from "./form.tsx";
import { itemRefs, type PickedItem } from "./ItemPicker.tsx";
import { useSiteTimeItems } from "./site-time-items.tsx";

// Final dispositions, each its own command on the one write path: destruction in batches (with
// the certificate PDF), transfer to the state's forces, deactivation and retention. The server's
// rules (the site holds the items, at least one independent witness, a national registration
// number per weapon…) decide; the forms say the rules where they are typed and show its refusals.

const forms = ["destroy", "transfer_to_state", "deactivate", "retain"] as const;
type FormKind = (typeof forms)[number];

interface Recorded {
  batchId: string;
}

export function DispositionsPage() {
  const { t } = useTranslation();
  const role = useAccount().data?.role;
  const allowed = forms.filter((f) => role !== undefined && roleMay(role, `disposition.${f}`));
  const [kind, setKind] = useState<FormKind | "">(allowed[0] ?? "");
  const [done, setDone] = useState<{ kind: FormKind; batchId: string } | undefined>(undefined);
  const [round, setRound] = useState(0);
  const queries = useQueryClient();
  const recorded = (kind: FormKind) => (batchId: string) => {
    setDone({ kind, batchId });
    // The items left the site's shelves: its list is read again next time, as is the batches'.
    void queries.invalidateQueries({ queryKey: ["site-items"] });
    void queries.invalidateQueries({ queryKey: ["dispositions"] });
  };
  return (
    <section aria-labelledby="dispositions-title">
      <h1 id="dispositions-title">{t("dispositions.title")}</h1>
      {done ? (
        <div className="notice notice-ok" role="status">
          <p>
            {t(`dispositions.done.${done.kind}`)} <Code>{done.batchId}</Code>
          </p>
          {done.kind === "destroy" && role !== undefined && roleMay(role, "disposition.certificate") && (
            <p>
              <a href={`/api/v1/dispositions/${done.batchId}/certificate.pdf`}>
                {t("dispositions.certificate")}
              </a>
            </p>
          )}
          <button
            type="button"
            onClick={() => {
              setDone(undefined);
              setRound(round + 1);
            }}
          >
            {t("dispositions.another")}
          </button>
        </div>
      ) : (
        <>
          <Choice
            label={t("dispositions.kind")}
            value={kind}
            options={allowed}
            optionLabel={(k) => t(`dispositions.kinds.${k}`)}
            onChange={setKind}
          />
          {kind === "destroy" && <DestructionForm key={round} onDone={recorded(kind)} />}
          {kind === "transfer_to_state" && <StateTransferForm key={round} onDone={recorded(kind)} />}
          {kind === "deactivate" && <DeactivationForm key={round} onDone={recorded(kind)} />}
          {kind === "retain" && <RetentionForm key={round} onDone={recorded(kind)} />}
        </>
      )}
      {role !== undefined && roleMay(role, "disposition.certificate") && <DispositionBatches />}
    </section>
  );
}

/** Site, time and items: what every disposition names first. */
function useBase(siteKind?: string) {
  const { t } = useTranslation();
  return useSiteTimeItems(
    { site: t("dispositions.site"), at: t("dispositions.at"), items: t("dispositions.items") },
    siteKind,
  );
}

interface Witness extends Signatory {
  independent: boolean;
}

function DestructionForm({ onDone }: { onDone: (batchId: string) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const base = useBase("destruction");
  const [method, setMethod] = useState<(typeof destructionMethods)[number] | "">("");
  const [operators, setOperators] = useState<Signatory[]>([noSignatory]);
  const [witnesses, setWitnesses] = useState<Witness[]>([{ ...noSignatory, independent: true }]);
  const [photos, setPhotos] = useState<string[]>([]);
  const [notes, setNotes] = useState("");
  const form = useCommandForm<Recorded>("disposition.destroy", destruction);
  const { error } = form;
  const noIndependent = !witnesses.some((w) => w.independent);
  function submit(event: FormEvent) {
    event.preventDefault();
    form.send(
      {
        siteId: base.siteId,
        destroyedAt: base.at,
        method,
        items: itemRefs(base.items),
        operators,
        witnesses,
        photos,
        notes: optional(notes),
      },
      (answer) => onDone(answer.data.batchId),
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="destroy-title" className="work-form">
      <h2 id="destroy-title">{t("dispositions.kinds.destroy")}</h2>
      {base.fields(error, "payload.destroyedAt")}
      <Choice
        label={t("dispositions.method")}
        value={method}
        options={destructionMethods}
        optionLabel={(m) => t(`dispositions.methods.${m}`)}
        onChange={setMethod}
        prompt={t("lane.choosePrompt")}
        error={error("payload.method")}
      />
      <SignatoryList
        legend={(n) => t("dispositions.operator", { n: format.number(n) })}
        at="payload.operators"
        people={operators}
        onChange={setOperators}
        blank={noSignatory}
        error={error}
      />
      <p className={noIndependent ? "error" : "hint"} role={noIndependent ? "alert" : undefined}>
        {t("dispositions.witnessRule")}
      </p>
      <SignatoryList
        legend={(n) => t("dispositions.witness", { n: format.number(n) })}
        at="payload.witnesses"
        people={witnesses}
        onChange={setWitnesses}
        blank={{ ...noSignatory, independent: false }}
        error={error}
        extra={(w, set) => (
          <div className="checks">
            <label>
              <input
                type="checkbox"
                checked={w.independent}
                onChange={(e) => set({ ...w, independent: e.target.checked })}
              />{" "}
              {t("dispositions.independent")}
            </label>
          </div>
        )}
      />
      <PhotoRefs photos={photos} onChange={setPhotos} error={error("payload.photos", "payload.photos.0")} />
      <TextField label={t("dispositions.notes")} value={notes} onChange={setNotes} multiline />
      {form.refusal([
        /^payload\.(siteId|destroyedAt|method|items|photos|notes)(\.\d+)?$/u,
        /^payload\.(operators|witnesses)(\.\d+(\.name|\.affiliation)?)?$/u,
      ])}
      <FormActions pending={form.command.isPending} label={t("dispositions.submit.destroy")} />
    </form>
  );
}

/**
 * Photos of the destruction, referred to by their SHA-256 (the API's file reference), computed
 * here from the file chosen. The file itself is not sent: the upload route is not there yet.
 */
function PhotoRefs({
  photos,
  onChange,
  error,
}: {
  photos: string[];
  onChange: (photos: string[]) => void;
  error: ReactNode;
}) {
  const { t } = useTranslation();
  const [uploadError, setUploadError] = useState<unknown>();
  return (
    <Field
      label={t("dispositions.photos")}
      hint={t("dispositions.photosHint")}
      error={uploadError ? <ProblemNotice error={uploadError} /> : error}
    >
      {(control) => (
        <>
          <input
            {...control}
            type="file"
            accept="image/*"
            multiple
            onChange={async (e) => {
              const files = [...(e.target.files ?? [])];
              setUploadError(undefined);
              try {
                // Stored on the server first (POST /api/v1/files answers the SHA-256 the batch
                // names), so the certificate's photographs exist where the record says they are.
                const uploaded = await Promise.all(
                  files.map(async (file) => {
                    const bytes = new Uint8Array(await file.arrayBuffer());
                    return (await postBytes<{ sha256: string }>("/api/v1/files", bytes)).sha256;
                  }),
                );
                onChange([...photos, ...uploaded.filter((p) => !photos.includes(p))]);
              } catch (err) {
                setUploadError(err);
              }
            }}
          />
          {photos.length > 0 && (
            <ul>
              {photos.map((p) => (
                <li key={p}>
                  <Code>{p.slice(0, 16)}…</Code>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Field>
  );
}

interface Inspector extends Signatory {
  receivingForce: boolean;
}

function StateTransferForm({ onDone }: { onDone: (batchId: string) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const base = useBase();
  const [clearance, setClearance] = useState("");
  const [inspectedOn, setInspectedOn] = useState("");
  const [unit, setUnit] = useState("");
  const [inspectors, setInspectors] = useState<Inspector[]>([
    { ...noSignatory, receivingForce: false },
    { ...noSignatory, receivingForce: true },
  ]);
  const [numbers, setNumbers] = useState<Record<string, string>>({});
  const form = useCommandForm<Recorded>("disposition.transfer_to_state", stateTransfer);
  const { error } = form;
  function submit(event: FormEvent) {
    event.preventDefault();
    form.send(
      {
        siteId: base.siteId,
        transferredAt: base.at,
        legalClearance: clearance,
        inspectedOn,
        inspectors,
        receivingUnit: unit,
        items: base.items.map((i) => ({
          kind: i.kind,
          id: i.id,
          registrationNumber: optional(numbers[i.id] ?? ""),
        })),
      },
      (answer) => onDone(answer.data.batchId),
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="state-title" className="work-form">
      <h2 id="state-title">{t("dispositions.kinds.transfer_to_state")}</h2>
      {base.fields(error, "payload.transferredAt")}
      <PerItem
        items={base.items}
        label={(item) => t("dispositions.registrationNumber", { item })}
        values={numbers}
        onChange={setNumbers}
        error={(n) => error(`payload.items.${n}.registrationNumber`)}
      />
      <div className="form-grid">
        <TextField
          label={t("dispositions.legalClearance")}
          value={clearance}
          onChange={setClearance}
          error={error("payload.legalClearance")}
        />
        <TextField
          label={t("dispositions.inspectedOn")}
          type="date"
          value={inspectedOn}
          onChange={setInspectedOn}
          error={error("payload.inspectedOn")}
        />
        <TextField
          label={t("dispositions.receivingUnit")}
          value={unit}
          onChange={setUnit}
          error={error("payload.receivingUnit")}
        />
      </div>
      <p className="hint">{t("dispositions.inspectorRule")}</p>
      <SignatoryList
        legend={(n) => t("dispositions.inspector", { n: format.number(n) })}
        at="payload.inspectors"
        people={inspectors}
        onChange={setInspectors}
        blank={{ ...noSignatory, receivingForce: false }}
        error={error}
        extra={(p, set) => (
          <div className="checks">
            <label>
              <input
                type="checkbox"
                checked={p.receivingForce}
                onChange={(e) => set({ ...p, receivingForce: e.target.checked })}
              />{" "}
              {t("dispositions.receivingForce")}
            </label>
          </div>
        )}
      />
      {form.refusal([
        /^payload\.(siteId|transferredAt|legalClearance|inspectedOn|receivingUnit|items)(\.\d+)?$/u,
        /^payload\.items\.\d+\.registrationNumber$/u,
        /^payload\.inspectors(\.\d+(\.name|\.affiliation)?)?$/u,
      ])}
      <FormActions pending={form.command.isPending} label={t("dispositions.submit.transfer_to_state")} />
    </form>
  );
}

/** One text per chosen item (a registration number, a deactivation mark), keyed by item id. */
function PerItem({
  items,
  label,
  values,
  onChange,
  error,
}: {
  items: readonly PickedItem[];
  label: (item: string) => string;
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
  error: (n: number) => ReactNode;
}) {
  return (
    <div className="form-grid">
      {items.map((item, n) => (
        <TextField
          key={item.id}
          label={label(item.label)}
          value={values[item.id] ?? ""}
          onChange={(v) => onChange({ ...values, [item.id]: v })}
          error={error(n)}
          code
        />
      ))}
    </div>
  );
}

function DeactivationForm({ onDone }: { onDone: (batchId: string) => void }) {
  const { t } = useTranslation();
  const base = useBase();
  const [certificate, setCertificate] = useState("");
  const [standard, setStandard] = useState("");
  const [marks, setMarks] = useState<Record<string, string>>({});
  const form = useCommandForm<Recorded>("disposition.deactivate", deactivation);
  const { error } = form;
  function submit(event: FormEvent) {
    event.preventDefault();
    form.send(
      {
        siteId: base.siteId,
        deactivatedAt: base.at,
        certificate,
        standard,
        items: base.items.map((i) => ({ kind: i.kind, id: i.id, mark: marks[i.id] ?? "" })),
      },
      (answer) => onDone(answer.data.batchId),
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="deactivate-title" className="work-form">
      <h2 id="deactivate-title">{t("dispositions.kinds.deactivate")}</h2>
      {base.fields(error, "payload.deactivatedAt")}
      <PerItem
        items={base.items}
        label={(item) => t("dispositions.mark", { item })}
        values={marks}
        onChange={setMarks}
        error={(n) => error(`payload.items.${n}.mark`, `payload.items.${n}.kind`)}
      />
      <div className="form-grid">
        <TextField
          label={t("dispositions.deactivationCertificate")}
          value={certificate}
          onChange={setCertificate}
          error={error("payload.certificate")}
        />
        <TextField
          label={t("dispositions.standard")}
          hint={t("dispositions.standardHint")}
          value={standard}
          onChange={setStandard}
          error={error("payload.standard")}
        />
      </div>
      {form.refusal([
        /^payload\.(siteId|deactivatedAt|certificate|standard|items)(\.\d+)?$/u,
        /^payload\.items\.\d+\.(mark|kind)$/u,
      ])}
      <FormActions pending={form.command.isPending} label={t("dispositions.submit.deactivate")} />
    </form>
  );
}

function RetentionForm({ onDone }: { onDone: (batchId: string) => void }) {
  const { t } = useTranslation();
  const base = useBase();
  const [purpose, setPurpose] = useState<(typeof retentionPurposes)[number] | "">("");
  const [justification, setJustification] = useState("");
  const [custodian, setCustodian] = useState(noSignatory);
  const [reviewOn, setReviewOn] = useState("");
  const form = useCommandForm<Recorded>("disposition.retain", retention);
  const { error } = form;
  function submit(event: FormEvent) {
    event.preventDefault();
    form.send(
      {
        siteId: base.siteId,
        retainedAt: base.at,
        purpose,
        justification,
        custodian,
        reviewOn,
        items: itemRefs(base.items),
      },
      (answer) => onDone(answer.data.batchId),
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="retain-title" className="work-form">
      <h2 id="retain-title">{t("dispositions.kinds.retain")}</h2>
      {base.fields(error, "payload.retainedAt")}
      <div className="form-grid">
        <Choice
          label={t("dispositions.purpose")}
          value={purpose}
          options={retentionPurposes}
          optionLabel={(p) => t(`dispositions.purposes.${p}`)}
          onChange={setPurpose}
          prompt={t("lane.choosePrompt")}
          error={error("payload.purpose")}
        />
        <TextField
          label={t("dispositions.reviewOn")}
          type="date"
          value={reviewOn}
          onChange={setReviewOn}
          error={error("payload.reviewOn")}
        />
      </div>
      <TextField
        label={t("dispositions.justification")}
        value={justification}
        onChange={setJustification}
        error={error("payload.justification")}
        multiline
      />
      <SignatoryFields
        legend={t("dispositions.custodian")}
        at="payload.custodian"
        value={custodian}
        onChange={setCustodian}
        error={error}
      />
      {form.refusal([
        /^payload\.(siteId|retainedAt|purpose|justification|reviewOn|items)(\.\d+)?$/u,
        /^payload\.custodian(\.name|\.affiliation)?$/u,
      ])}
      <FormActions pending={form.command.isPending} label={t("dispositions.submit.retain")} />
    </form>
  );
}
