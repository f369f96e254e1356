import {
  type Action,
  correction,
  type KeyPartName,
  keyPartNames,
  reattachPart,
  roleMay,
  separatePart,
} from "@armsledger/core";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useAccount } from "../session/session.ts";
import { Choice } from "../ui/Choice.tsx";
import { Code } from "../ui/Text.tsx";
import { FormActions, isoDateTime, localDateTime, optional, TextField, useCommandForm } from "./form.tsx";

/** A key part's name in the reader's language ("bolt" → "Bolt"), as recorded when unknown. */
export function useKeyPartName() {
  const { t } = useTranslation();
  return (part: string) =>
    (keyPartNames as readonly string[]).includes(part) ? t(`keyParts.names.${part as KeyPartName}`) : part;
}

/** May the signed-in user do this (core's policy, as the server enforces it)? */
export function useMay(action: Action) {
  const role = useAccount().data?.role;
  return role !== undefined && roleMay(role, action);
}

const separated = [
  /^payload\.(weaponId|part|serial|separatedAt|note)$/u,
  /^payload\.location(\.store|\.container|\.rack)?$/u,
];

/**
 * weapon.separate_part, from a weapon's page: the part taken off, its own serial if marked, when,
 * and where it rests (the weapon's place when left empty). The server says whether the weapon is
 * on the shelf of a site the user keeps.
 */
export function SeparatePartForm({ weaponId, onClose }: { weaponId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [part, setPart] = useState<KeyPartName | "">("");
  const [serial, setSerial] = useState("");
  const [at, setAt] = useState(() => localDateTime());
  const [store, setStore] = useState("");
  const [container, setContainer] = useState("");
  const [rack, setRack] = useState("");
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string | undefined>(undefined);
  const form = useCommandForm<{ partId: string }>("weapon.separate_part", separatePart);
  const { error } = form;

  function submit(event: FormEvent) {
    event.preventDefault();
    form.send(
      {
        weaponId,
        part: part || undefined,
        serial: optional(serial),
        separatedAt: isoDateTime(at),
        location: optional(store)
          ? { store: store.trim(), container: optional(container), rack: optional(rack) }
          : undefined,
        note: optional(note),
      },
      (answer) => {
        setDone(answer.data.partId);
        void queries.invalidateQueries({ queryKey: ["trail"] });
        void queries.invalidateQueries({ queryKey: ["site-items"] });
      },
    );
  }

  if (done)
    return (
      <div className="notice notice-ok" role="status">
        <p>
          {t("keyParts.separate.done")} <Code>{done}</Code>
        </p>
        <div className="actions">
          <Link to={`/trail?kind=key_part&id=${done}`}>{t("keyParts.showTrail")}</Link>
          <KeyPartLabelLink partId={done} />
          <button type="button" onClick={onClose}>
            {t("custody.close")}
          </button>
        </div>
      </div>
    );

  return (
    <form onSubmit={submit} noValidate aria-labelledby="separate-title" className="work-form">
      <h2 id="separate-title">{t("keyParts.separate.title")}</h2>
      <p className="hint">{t("keyParts.separate.hint")}</p>
      {error("payload.weaponId") && <p className="error">{error("payload.weaponId")}</p>}
      <div className="form-grid">
        <PartFields
          part={part}
          onPart={setPart}
          serial={serial}
          onSerial={setSerial}
          errors={[error("payload.part"), error("payload.serial")]}
          prompt={t("lane.choosePrompt")}
        />
        <TextField
          label={t("keyParts.separate.at")}
          type="datetime-local"
          value={at}
          onChange={setAt}
          error={error("payload.separatedAt")}
        />
      </div>
      <fieldset className="form-grid">
        <legend>{t("keyParts.separate.where")}</legend>
        <TextField
          label={t("keyParts.separate.store")}
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
      </fieldset>
      <TextField
        label={t("keyParts.note")}
        value={note}
        onChange={setNote}
        error={error("payload.note")}
        multiline
      />
      {form.refusal(separated)}
      <FormActions
        pending={form.command.isPending}
        label={t("keyParts.separate.submit")}
        onCancel={onClose}
      />
    </form>
  );
}

/** weapon.reattach_part, from a loose part's page: the part goes back on its weapon, both held here. */
export function ReattachPartForm({ partId, onClose }: { partId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [at, setAt] = useState(() => localDateTime());
  const [note, setNote] = useState("");
  const [done, setDone] = useState(false);
  const form = useCommandForm<unknown>("weapon.reattach_part", reattachPart);
  const { error } = form;

  function submit(event: FormEvent) {
    event.preventDefault();
    form.send({ partId, reattachedAt: isoDateTime(at), note: optional(note) }, () => {
      setDone(true);
      void queries.invalidateQueries({ queryKey: ["trail"] });
      void queries.invalidateQueries({ queryKey: ["site-items"] });
    });
  }

  if (done) return <Done onClose={onClose}>{t("keyParts.reattach.done")}</Done>;

  return (
    <form onSubmit={submit} noValidate aria-labelledby="reattach-title" className="work-form">
      <h2 id="reattach-title">{t("keyParts.reattach.title")}</h2>
      <p className="hint">{t("keyParts.reattach.hint")}</p>
      {error("payload.partId") && <p className="error">{error("payload.partId")}</p>}
      <TextField
        label={t("keyParts.reattach.at")}
        type="datetime-local"
        value={at}
        onChange={setAt}
        error={error("payload.reattachedAt")}
      />
      <TextField
        label={t("keyParts.note")}
        value={note}
        onChange={setNote}
        error={error("payload.note")}
        multiline
      />
      {form.refusal([/^payload\.(partId|reattachedAt|note)$/u])}
      <FormActions
        pending={form.command.isPending}
        label={t("keyParts.reattach.submit")}
        onCancel={onClose}
      />
    </form>
  );
}

/**
 * record.correct of a loose key part, from its trail: the name or own serial recorded wrongly
 * (mistyped at separation, at the handover or at the receipt). Only what changed is sent; an
 * emptied serial says the part bears none. The leaf corrected is the one that recorded the part
 * (its trail's first step). A serial like another part's is flagged for an officer, not refused.
 */
export function CorrectPartForm({
  partId,
  corrects,
  part,
  serial,
  onClose,
}: {
  partId: string;
  corrects: number;
  part: string;
  serial: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [name, setName] = useState<KeyPartName | "">(
    (keyPartNames as readonly string[]).includes(part) ? (part as KeyPartName) : "",
  );
  const [newSerial, setSerial] = useState(serial ?? "");
  const [reason, setReason] = useState("");
  const [done, setDone] = useState<{ flagged: boolean } | undefined>(undefined);
  const form = useCommandForm<unknown>("record.correct", correction);
  const { error } = form;

  function submit(event: FormEvent) {
    event.preventDefault();
    const changes: Record<string, unknown> = {};
    if (name && name !== part) changes.part = name;
    const typed = newSerial.trim();
    if (typed !== (serial ?? "")) changes.serial = typed === "" ? null : typed;
    form.send({ kind: "key_part", id: partId, corrects, changes, reason: reason.trim() }, (answer) => {
      setDone({ flagged: ((answer as { anomalies?: unknown[] }).anomalies?.length ?? 0) > 0 });
      void queries.invalidateQueries({ queryKey: ["trail"] });
      void queries.invalidateQueries({ queryKey: ["site-items"] });
    });
  }

  if (done)
    return (
      <Done onClose={onClose} more={done.flagged && <p>{t("keyParts.correct.flagged")}</p>}>
        {t("keyParts.correct.done")}
      </Done>
    );

  return (
    <form onSubmit={submit} noValidate aria-labelledby="correct-part-title" className="work-form">
      <h2 id="correct-part-title">{t("keyParts.correct.title")}</h2>
      <p className="hint">{t("keyParts.correct.hint")}</p>
      {error("payload.id", "payload.corrects") && (
        <p className="error">{error("payload.id", "payload.corrects")}</p>
      )}
      <div className="form-grid">
        <PartFields
          part={name}
          onPart={setName}
          serial={newSerial}
          onSerial={setSerial}
          errors={[error("payload.changes.part"), error("payload.changes.serial")]}
          serialText={{ label: t("keyParts.correct.serial"), hint: t("keyParts.correct.serialHint") }}
        />
      </div>
      <TextField
        label={t("keyParts.correct.reason")}
        value={reason}
        onChange={setReason}
        error={error("payload.reason")}
        multiline
      />
      {form.refusal([/^payload\.(id|corrects|reason|changes\.part|changes\.serial)$/u])}
      <FormActions pending={form.command.isPending} label={t("keyParts.correct.submit")} onCancel={onClose} />
    </form>
  );
}

/** A part's name and its own serial, as a separation records them and a correction changes them. */
function PartFields({
  part,
  onPart,
  serial,
  onSerial,
  errors: [partError, serialError],
  prompt,
  serialText,
}: {
  part: KeyPartName | "";
  onPart: (part: KeyPartName | "") => void;
  serial: string;
  onSerial: (serial: string) => void;
  errors: [ReactNode, ReactNode];
  prompt?: string;
  serialText?: { label: string; hint: string };
}) {
  const { t } = useTranslation();
  const partName = useKeyPartName();
  return (
    <>
      <Choice
        label={t("keyParts.part")}
        value={part}
        options={keyPartNames}
        optionLabel={partName}
        onChange={onPart}
        prompt={prompt}
        error={partError}
      />
      <TextField
        label={serialText?.label ?? t("keyParts.serial")}
        hint={serialText?.hint ?? t("keyParts.serialHint")}
        value={serial}
        onChange={onSerial}
        error={serialError}
        code
      />
    </>
  );
}

/** What a key part form says once its command is recorded, and the way back. */
function Done({ children, more, onClose }: { children: ReactNode; more?: ReactNode; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-ok" role="status">
      <p>{children}</p>
      {more}
      <div className="actions">
        <button type="button" onClick={onClose}>
          {t("custody.close")}
        </button>
      </div>
    </div>
  );
}

/** The loose part's label (PDF: its derived tag as text and QR code, its name in both languages). */
export function KeyPartLabelLink({ partId }: { partId: string }) {
  const { t } = useTranslation();
  return (
    <a href={`/api/v1/key-parts/${partId}/label.pdf?size=62x29`} target="_blank" rel="noopener">
      {t("keyParts.label")}
    </a>
  );
}
