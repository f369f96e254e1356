import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { type CommandAnswer, useCommand } from "../lane/commands.ts";
import { type FieldErrors, schemaErrors, serverErrors, unplaced } from "../lane/errors.ts";
import { Field } from "../ui/Field.tsx";
import { FieldProblem, OtherErrors, ProblemNotice } from "../ui/Problem.tsx";

// What every custody form shares with the collection lane: the payload is checked in the browser
// with core's own schema (the one the server parses with), sent as one command with a client-made
// id through POST /api/v1/commands, and every error — the browser's or the server's — lands at
// the field the API names ("payload.countAtDispatch"), the rest listed under the form.

interface Schema {
  safeParse: (
    value: unknown,
  ) =>
    | { success: true }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

export function useCommandForm<D>(type: string, schema: Schema) {
  const command = useCommand<D>(type);
  const [errors, setErrors] = useState<FieldErrors>({});
  /** The first error found at one of these paths, as a field shows it. */
  const error = (...paths: string[]) => {
    const found = paths.map((p) => errors[p]).find(Boolean);
    return found ? <FieldProblem {...found} /> : undefined;
  };
  function send(payload: unknown, onSuccess: (answer: CommandAnswer<D>) => void) {
    const checked = schema.safeParse(payload);
    if (!checked.success) {
      setErrors(schemaErrors(checked.error, payload));
      return;
    }
    setErrors({});
    command.mutate(payload, { onSuccess, onError: (e) => setErrors(serverErrors(e)) });
  }
  /** The refusal as a whole, and the errors no field of the form shows. */
  function refusal(placed: readonly RegExp[]) {
    return (
      <>
        {command.isError && <ProblemNotice error={command.error} />}
        <OtherErrors errors={unplaced(errors, (p) => placed.some((re) => re.test(p)))} />
      </>
    );
  }
  return { command, error, send, refusal, reset: () => command.reset() };
}

export type ErrorAt = (...paths: string[]) => ReactNode;

/** "2026-03-01T08:00", the value of a datetime-local field, for the moment given. */
export function localDateTime(at = new Date()): string {
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A datetime-local value as the API takes it (ISO 8601 with offset); left as typed when unreadable. */
export function isoDateTime(local: string): string {
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? local : at.toISOString();
}

/** Seal numbers and the like, typed one per line or separated by commas or spaces. */
export function codeList(s: string): string[] {
  return s
    .split(/[\s,،]+/u)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Free text typed one item per line (referrals, evidence references, units). */
export const lines = (s: string) =>
  s
    .split("\n")
    .map((x) => x.trim())
    .filter(Boolean);

export const optional = (s: string) => (s.trim() === "" ? undefined : s.trim());

export function TextField({
  label,
  hint,
  error,
  value,
  onChange,
  type,
  code,
  multiline,
}: {
  label: string;
  hint?: string | undefined;
  error?: ReactNode;
  value: string;
  onChange: (v: string) => void;
  type?: "datetime-local" | "date" | undefined;
  /** Identifiers (seals, references): left to right whatever the page's direction. */
  code?: boolean | undefined;
  multiline?: boolean | undefined;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) =>
        multiline ? (
          <textarea
            {...control}
            dir={code ? "ltr" : "auto"}
            rows={3}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <input
            {...control}
            type={type ?? "text"}
            dir={code || type ? "ltr" : "auto"}
            autoComplete="off"
            inputMode={type ? undefined : code ? "text" : undefined}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

export interface Signatory {
  name: string;
  affiliation: string;
}

export const noSignatory: Signatory = { name: "", affiliation: "" };

/** A person who signs for a step (countersignatory, operator, witness): name and affiliation. */
export function SignatoryFields({
  legend,
  at,
  value,
  onChange,
  error,
  children,
}: {
  legend: string;
  /** The API's path of this person ("payload.countersignedBy"). */
  at: string;
  value: Signatory;
  onChange: (v: Signatory) => void;
  error: ErrorAt;
  /** More about this person (a witness's independence). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="form-grid">
      <legend>{legend}</legend>
      <TextField
        label={t("custody.name")}
        error={error(`${at}.name`, at)}
        value={value.name}
        onChange={(name) => onChange({ ...value, name })}
      />
      <TextField
        label={t("custody.affiliation")}
        error={error(`${at}.affiliation`)}
        value={value.affiliation}
        onChange={(affiliation) => onChange({ ...value, affiliation })}
      />
      {children}
    </fieldset>
  );
}

/**
 * Several people who sign for one step (operators, witnesses, inspectors), one fieldset each,
 * with what else is asked of each (a witness's independence) given by `extra`.
 */
export function SignatoryList<S extends Signatory>({
  legend,
  at,
  people,
  onChange,
  blank,
  error,
  extra,
}: {
  /** The legend of person n (1-based). */
  legend: (n: number) => string;
  at: string;
  people: S[];
  onChange: (people: S[]) => void;
  blank: S;
  error: ErrorAt;
  extra?: (person: S, set: (person: S) => void, n: number) => ReactNode;
}) {
  const { t } = useTranslation();
  const set = (n: number) => (p: S) => onChange(people.map((x, j) => (j === n ? p : x)));
  return (
    <>
      {people.map((p, n) => (
        <SignatoryFields
          // biome-ignore lint/suspicious/noArrayIndexKey: people are edited in place, never reordered.
          key={n}
          legend={legend(n + 1)}
          at={`${at}.${n}`}
          value={p}
          onChange={(v) => set(n)({ ...p, ...v })}
          error={error}
        >
          {extra?.(p, set(n), n)}
          {people.length > 1 && (
            <button
              type="button"
              className="secondary"
              onClick={() => onChange(people.filter((_, j) => j !== n))}
            >
              {t("custody.removePerson", { who: legend(n + 1) })}
            </button>
          )}
        </SignatoryFields>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...people, blank])}>
        {t("custody.addPerson", { who: legend(people.length + 1) })}
      </button>
      {error(at) && <p className="error">{error(at)}</p>}
    </>
  );
}

/** A form's buttons: send it (disabled while it is on its way), and put it away unsent. */
export function FormActions({
  pending,
  label,
  onCancel,
}: {
  pending: boolean;
  label: string;
  onCancel?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button type="submit" disabled={pending}>
        {label}
      </button>
      {onCancel && (
        <button type="button" className="secondary" onClick={onCancel}>
          {t("custody.cancel")}
        </button>
      )}
    </div>
  );
}

/** The button that opens a screen's form (a removal, a cache report), in its own row of actions. */
export function OpenFormButton({ label, onOpen }: { label: string; onOpen: () => void }) {
  return (
    <div className="actions">
      <button type="button" onClick={onOpen}>
        {label}
      </button>
    </div>
  );
}
