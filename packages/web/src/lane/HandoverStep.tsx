import {
  ammunitionKinds,
  type Eligibility,
  handover as handoverSchema,
  quantityUnit,
  type WeaponCategory,
  weaponCategories,
  weaponConditions,
} from "@armsledger/core";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiError } from "../api/client.ts";
import { integer } from "../format/parse.ts";
import { sha256Hex } from "../format/sha256.ts";
import { Choice } from "../ui/Choice.tsx";
import { Field } from "../ui/Field.tsx";
import { FieldProblem, OtherErrors, ProblemNotice } from "../ui/Problem.tsx";
import { TagField } from "../ui/TagField.tsx";
import { type Outcome, useQueuedCommand } from "./commands.ts";
import { type FieldErrors, schemaErrors, serverErrors, unplaced } from "./errors.ts";

// The items of one handover, as the officer types them: every field a string (or a flag) until
// the payload is built; the payload is then checked with core's `handover` schema (the one the
// server parses with) before it is sent, and the server's refusal lands on the same fields.

export interface WeaponForm {
  key: number;
  tag: string;
  category: string;
  type: string;
  make: string;
  model: string;
  calibre: string;
  serial: string;
  noReadableSerial: boolean;
  photo: string;
  condition: string;
  serviceable: string;
}

export interface AmmunitionForm {
  key: number;
  tag: string;
  kind: string;
  calibreOrType: string;
  quantity: string;
  unit: string;
  lotMark: string;
  condition: string;
  safeToMove: string;
}

export interface Verifier {
  name: string;
  affiliation: string;
}

/** What handover.recorded answers that the lane shows. */
export interface Recorded {
  handoverId: string;
  receiptNumber: string;
  eligibility: Eligibility;
  weapons: { itemId: string; tag: string; category: string; serial?: string }[];
  ammunition: { lotId: string; tag: string; quantity: number; unit: string }[];
}

let nextKey = 1;
const newWeapon = (): WeaponForm => ({
  key: nextKey++,
  tag: "",
  category: "",
  type: "",
  make: "",
  model: "",
  calibre: "",
  serial: "",
  noReadableSerial: false,
  photo: "",
  condition: "",
  serviceable: "",
});
const newAmmunition = (): AmmunitionForm => ({
  key: nextKey++,
  tag: "",
  kind: "",
  calibreOrType: "",
  quantity: "",
  unit: "rounds",
  lotMark: "",
  condition: "",
  safeToMove: "",
});

const opt = (s: string) => (s.trim() === "" ? undefined : s);
const yesNo = (s: string) => (s === "yes" ? true : s === "no" ? false : undefined);

export function handoverPayload(
  handedAt: string,
  siteId: string,
  personId: string,
  verifier: Verifier,
  weapons: WeaponForm[],
  ammunition: AmmunitionForm[],
) {
  return {
    siteId,
    handedAt,
    verifyingOfficer: { name: verifier.name, affiliation: verifier.affiliation },
    from: { kind: "person", personId },
    weapons: weapons.map((w) => ({
      tag: opt(w.tag),
      category: opt(w.category),
      type: opt(w.type),
      make: opt(w.make),
      model: opt(w.model),
      calibre: opt(w.calibre),
      serial: w.noReadableSerial ? undefined : opt(w.serial),
      noReadableSerial: w.noReadableSerial,
      photos: w.noReadableSerial && opt(w.photo) ? [w.photo.trim().toLowerCase()] : [],
      condition: opt(w.condition),
      serviceable: yesNo(w.serviceable),
    })),
    ammunition: ammunition.map((a) => ({
      tag: opt(a.tag),
      kind: opt(a.kind),
      calibreOrType: opt(a.calibreOrType),
      quantity: integer(a.quantity),
      unit: a.unit,
      lotMark: opt(a.lotMark),
      condition: opt(a.condition),
      safeToMove: yesNo(a.safeToMove),
    })),
  };
}

/** The handover form as typed, kept with the queued command to reopen it for a correction. */
export interface HandoverForm {
  handedAt: string;
  verifier: Verifier;
  weapons: WeaponForm[];
  ammunition: AmmunitionForm[];
}

export function HandoverStep({
  siteId,
  personId,
  verifier,
  setVerifier,
  onRecorded,
  dependsOn,
  correcting,
}: {
  siteId: string;
  personId: string;
  verifier: Verifier;
  setVerifier: (v: Verifier) => void;
  onRecorded: (outcome: Outcome<Recorded>) => void;
  /** The queued registration of this person, when it has not been sent yet. */
  dependsOn?: string[] | undefined;
  /** A refused handover reopened from the queue: the form as it was, the refusal, its command id. */
  correcting?: { form: HandoverForm; problem: ApiError; commandId: string } | undefined;
}) {
  const { t } = useTranslation();
  // Reopened forms get fresh keys (the keys of the day they were typed may meet new ones).
  const [weapons, setWeapons] = useState<WeaponForm[]>(() =>
    correcting ? correcting.form.weapons.map((w) => ({ ...w, key: nextKey++ })) : [newWeapon()],
  );
  const [ammunition, setAmmunition] = useState<AmmunitionForm[]>(() =>
    correcting ? correcting.form.ammunition.map((a) => ({ ...a, key: nextKey++ })) : [],
  );
  const [fresh, setFresh] = useState<number | undefined>(undefined);
  const [errors, setErrors] = useState<FieldErrors>(() =>
    correcting ? serverErrors(correcting.problem) : {},
  );
  // When the person sat down with their items: fixed, so the handover's content does not change
  // between a refusal and its correction but for what the officer corrects.
  const [handedAt] = useState(() => correcting?.form.handedAt ?? new Date().toISOString());
  // Photos taken in this form, by SHA-256: their bytes travel with the command in the queue.
  const [photos, setPhotos] = useState<Record<string, Uint8Array<ArrayBuffer>>>({});
  const record = useQueuedCommand<Recorded>("handover.record");
  const error = (...paths: string[]) => {
    const found = paths.map((p) => errors[p]).find(Boolean);
    return found ? <FieldProblem {...found} /> : undefined;
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const payload = handoverPayload(handedAt, siteId, personId, verifier, weapons, ammunition);
    const checked = handoverSchema.safeParse(payload);
    if (!checked.success) {
      setErrors(schemaErrors(checked.error, payload));
      return;
    }
    setErrors({});
    const referenced = new Set(payload.weapons.flatMap((w) => w.photos));
    record.mutate(
      {
        payload,
        form: { handedAt, verifier, weapons, ammunition } satisfies HandoverForm,
        files: Object.entries(photos)
          .filter(([sha256]) => referenced.has(sha256))
          .map(([sha256, bytes]) => ({ sha256, bytes })),
        dependsOn,
        replaces: correcting?.commandId,
      },
      { onSuccess: onRecorded, onError: (e) => setErrors(serverErrors(e)) },
    );
  }

  const updateWeapon = (i: number, w: WeaponForm) => setWeapons(weapons.map((x, j) => (j === i ? w : x)));
  const updateAmmunition = (i: number, a: AmmunitionForm) =>
    setAmmunition(ammunition.map((x, j) => (j === i ? a : x)));

  const verifierFields = (
    <fieldset className="lane-grid">
      <legend>{t("lane.verifier")}</legend>
      <Field
        label={t("lane.verifierName")}
        error={error("payload.verifyingOfficer.name", "payload.verifyingOfficer")}
      >
        {(control) => (
          <input
            {...control}
            dir="auto"
            value={verifier.name}
            onChange={(e) => setVerifier({ ...verifier, name: e.target.value })}
          />
        )}
      </Field>
      <Field label={t("lane.verifierAffiliation")} error={error("payload.verifyingOfficer.affiliation")}>
        {(control) => (
          <input
            {...control}
            dir="auto"
            value={verifier.affiliation}
            onChange={(e) => setVerifier({ ...verifier, affiliation: e.target.value })}
          />
        )}
      </Field>
    </fieldset>
  );
  const weaponFields = weapons.map((w, i) => (
    <WeaponFieldset
      key={w.key}
      index={i}
      weapon={w}
      focus={w.key === fresh}
      error={error}
      onPhoto={(sha256, bytes) => setPhotos((p) => ({ ...p, [sha256]: bytes }))}
      onChange={(x) => updateWeapon(i, x)}
      onRemove={() => setWeapons(weapons.filter((_, j) => j !== i))}
    />
  ));
  const ammunitionFields = ammunition.map((a, i) => (
    <AmmunitionFieldset
      key={a.key}
      index={i}
      lot={a}
      focus={a.key === fresh}
      error={error}
      onChange={(x) => updateAmmunition(i, x)}
      onRemove={() => setAmmunition(ammunition.filter((_, j) => j !== i))}
    />
  ));
  const other = unplaced(errors, (p) => placed.some((re) => re.test(p)));

  return (
    <form onSubmit={submit} noValidate aria-labelledby="lane-items">
      <h2 id="lane-items">{t("lane.itemsHeading")}</h2>
      {verifierFields}
      {weaponFields}
      {ammunitionFields}
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            const w = newWeapon();
            setWeapons([...weapons, w]);
            setFresh(w.key);
          }}
        >
          {t("lane.addWeapon")}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            const a = newAmmunition();
            setAmmunition([...ammunition, a]);
            setFresh(a.key);
          }}
        >
          {t("lane.addAmmunition")}
        </button>
      </div>
      {record.isError ? (
        <ProblemNotice error={record.error} />
      ) : (
        correcting && record.isIdle && <ProblemNotice error={correcting.problem} />
      )}
      <OtherErrors errors={other} />
      <div className="actions">
        <button type="submit" disabled={record.isPending}>
          {record.isPending ? t("lane.recording") : t("lane.record")}
        </button>
      </div>
    </form>
  );
}

/** The paths the fields below show an error at (the others are listed under the form). */
const placed = [
  /^payload\.verifyingOfficer(\.name|\.affiliation)?$/u,
  /^payload\.weapons\.\d+(\.(tag|category|type|make|model|calibre|serial|photos(\.0)?|condition|serviceable))?$/u,
  /^payload\.ammunition\.\d+(\.(tag|kind|calibreOrType|quantity|unit|lotMark|condition|safeToMove))?$/u,
];

const ammunitionConditions = ["stable", "unstable", "unknown"] as const;

type ErrorAt = (...paths: string[]) => ReturnType<typeof FieldProblem> | undefined;

/** Moves the focus to a fieldset's first control when the officer has just added it. */
function useFocusWhenAdded<T extends HTMLElement>(focus: boolean) {
  const ref = useRef<T>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the fieldset first appears.
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, []);
  return ref;
}

const yesNoOptions = ["yes", "no"] as const;

/** A yes/no question, unanswered until the officer picks. */
function YesNo({
  label,
  error,
  value,
  onChange,
}: {
  label: string;
  error: ReactNode;
  value: string;
  onChange: (v: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Choice
      label={label}
      error={error}
      value={value as "yes" | "no" | ""}
      options={yesNoOptions}
      optionLabel={(o) => t(`common.${o}`)}
      onChange={onChange}
      prompt={t("lane.choosePrompt")}
    />
  );
}

function WeaponFieldset({
  index,
  weapon: w,
  focus,
  error,
  onPhoto,
  onChange,
  onRemove,
}: {
  index: number;
  weapon: WeaponForm;
  focus: boolean;
  error: ErrorAt;
  onPhoto: (sha256: string, bytes: Uint8Array<ArrayBuffer>) => void;
  onChange: (w: WeaponForm) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const first = useFocusWhenAdded<HTMLSelectElement>(focus);
  const at = `payload.weapons.${index}`;
  const set = <K extends keyof WeaponForm>(key: K, value: WeaponForm[K]) => onChange({ ...w, [key]: value });
  const text = (key: "type" | "make" | "model" | "calibre", hint?: string) => (
    <Field label={t(`lane.weapon.${key}`)} hint={hint} error={error(`${at}.${key}`)}>
      {(control) => (
        <input {...control} dir="auto" value={w[key]} onChange={(e) => set(key, e.target.value)} />
      )}
    </Field>
  );
  return (
    <fieldset className="lane-item">
      <legend>{t("lane.weapon.legend", { n: index + 1 })}</legend>
      <div className="lane-grid">
        <Choice
          label={t("lane.weapon.category")}
          error={error(`${at}.category`, at)}
          selectRef={first}
          value={w.category as WeaponCategory | ""}
          options={weaponCategories}
          optionLabel={(c) => t(`categories.${c}`)}
          onChange={(v) => set("category", v)}
          prompt={t("lane.choosePrompt")}
        />
        {text("type", t("lane.weapon.typeHint"))}
        {text("make")}
        {text("model")}
        {text("calibre")}
        <TagField
          label={t("lane.tag")}
          hint={t("lane.tagHint")}
          error={error(`${at}.tag`)}
          value={w.tag}
          onChange={(v) => set("tag", v)}
        />
      </div>
      <div className="lane-grid">
        <Field
          label={t("lane.weapon.serial")}
          hint={t("lane.weapon.serialHint")}
          error={error(`${at}.serial`)}
        >
          {(control) => (
            <input
              {...control}
              dir="ltr"
              autoComplete="off"
              disabled={w.noReadableSerial}
              value={w.noReadableSerial ? "" : w.serial}
              onChange={(e) => set("serial", e.target.value)}
            />
          )}
        </Field>
        <div className="checks">
          <label>
            <input
              type="checkbox"
              checked={w.noReadableSerial}
              onChange={(e) => set("noReadableSerial", e.target.checked)}
            />{" "}
            {t("lane.weapon.noReadableSerial")}
          </label>
        </div>
        {w.noReadableSerial && (
          <Field
            label={t("lane.weapon.photo")}
            hint={t("lane.weapon.photoHint")}
            error={error(`${at}.photos`, `${at}.photos.0`)}
          >
            {(control) => (
              <>
                <input
                  {...control}
                  dir="ltr"
                  autoComplete="off"
                  value={w.photo}
                  onChange={(e) => set("photo", e.target.value)}
                />
                <input
                  type="file"
                  accept="image/*"
                  capture="environment"
                  aria-label={t("lane.weapon.photoFile")}
                  onChange={async (e) => {
                    const file = e.target.files?.[0];
                    if (!file) return;
                    const bytes = new Uint8Array(await file.arrayBuffer());
                    const sha256 = await sha256Hex(bytes);
                    onPhoto(sha256, bytes);
                    onChange({ ...w, photo: sha256 });
                  }}
                />
              </>
            )}
          </Field>
        )}
        <Choice
          label={t("lane.weapon.condition")}
          error={error(`${at}.condition`)}
          value={w.condition as (typeof weaponConditions)[number] | ""}
          options={weaponConditions}
          optionLabel={(c) => t(`lane.conditions.${c}`)}
          onChange={(v) => set("condition", v)}
          prompt={t("lane.choosePrompt")}
        />
        <YesNo
          label={t("lane.weapon.serviceable")}
          error={error(`${at}.serviceable`)}
          value={w.serviceable}
          onChange={(v) => set("serviceable", v)}
        />
      </div>
      <button type="button" className="secondary" onClick={onRemove}>
        {t("lane.remove", { what: t("lane.weapon.legend", { n: index + 1 }) })}
      </button>
    </fieldset>
  );
}

function AmmunitionFieldset({
  index,
  lot: a,
  focus,
  error,
  onChange,
  onRemove,
}: {
  index: number;
  lot: AmmunitionForm;
  focus: boolean;
  error: ErrorAt;
  onChange: (a: AmmunitionForm) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const first = useFocusWhenAdded<HTMLSelectElement>(focus);
  const at = `payload.ammunition.${index}`;
  const set = <K extends keyof AmmunitionForm>(key: K, value: AmmunitionForm[K]) =>
    onChange({ ...a, [key]: value });
  return (
    <fieldset className="lane-item">
      <legend>{t("lane.ammunition.legend", { n: index + 1 })}</legend>
      <div className="lane-grid">
        <Choice
          label={t("lane.ammunition.kind")}
          error={error(`${at}.kind`, at)}
          selectRef={first}
          value={a.kind as (typeof ammunitionKinds)[number] | ""}
          options={ammunitionKinds}
          optionLabel={(k) => t(`lane.ammunitionKinds.${k}`)}
          onChange={(v) => set("kind", v)}
          prompt={t("lane.choosePrompt")}
        />
        <Field
          label={t("lane.ammunition.calibreOrType")}
          hint={t("lane.ammunition.calibreHint")}
          error={error(`${at}.calibreOrType`)}
        >
          {(control) => (
            <input
              {...control}
              dir="auto"
              value={a.calibreOrType}
              onChange={(e) => set("calibreOrType", e.target.value)}
            />
          )}
        </Field>
        <Field label={t("lane.ammunition.quantity")} error={error(`${at}.quantity`)}>
          {(control) => (
            <input
              {...control}
              inputMode="numeric"
              dir="ltr"
              value={a.quantity}
              onChange={(e) => set("quantity", e.target.value)}
            />
          )}
        </Field>
        <Choice
          label={t("lane.ammunition.unit")}
          error={error(`${at}.unit`)}
          value={a.unit as (typeof quantityUnit.options)[number]}
          options={quantityUnit.options}
          optionLabel={(u) => t(`lane.units.${u}`)}
          onChange={(v) => set("unit", v)}
        />
        <Field label={t("lane.ammunition.lotMark")} error={error(`${at}.lotMark`)}>
          {(control) => (
            <input
              {...control}
              dir="auto"
              value={a.lotMark}
              onChange={(e) => set("lotMark", e.target.value)}
            />
          )}
        </Field>
        <TagField
          label={t("lane.tag")}
          hint={t("lane.tagHint")}
          error={error(`${at}.tag`)}
          value={a.tag}
          onChange={(v) => set("tag", v)}
        />
        <Choice
          label={t("lane.ammunition.condition")}
          error={error(`${at}.condition`)}
          value={a.condition as (typeof ammunitionConditions)[number] | ""}
          options={ammunitionConditions}
          optionLabel={(c) => t(`lane.ammunitionConditions.${c}`)}
          onChange={(v) => set("condition", v)}
          prompt={t("lane.choosePrompt")}
        />
        <YesNo
          label={t("lane.ammunition.safeToMove")}
          error={error(`${at}.safeToMove`)}
          value={a.safeToMove}
          onChange={(v) => set("safeToMove", v)}
        />
      </div>
      <button type="button" className="secondary" onClick={onRemove}>
        {t("lane.remove", { what: t("lane.ammunition.legend", { n: index + 1 }) })}
      </button>
    </fieldset>
  );
}
