import { type QueryKey, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  FormActions,
  isoDateTime,
  localDateTime,
  optional,
  TextField,
  useCommandForm,
} from "../custody/form.tsx";
import { Choice } from "../ui/Choice.tsx";

// The forms on a person's record (pathway steps, screening and eligibility, cards) share one
// machinery: the custody screens' command form (core's schema in the browser, a client-made id,
// errors at their fields), a frame (title, fields, the refusal, send and cancel), and, once the
// command is recorded, the parts of the record it changed read again and the form closed.

export type Schema = Parameters<typeof useCommandForm>[1];

/** A command about a person may change all of their record: every query under it is read again. */
export const personRefresh = (personId: string) => [["persons", personId]] as const;

/** One command from the record; on success the queries under `refresh` are read again, then `onDone`. */
export function useRecordCommand(
  type: string,
  schema: Schema,
  refresh: readonly QueryKey[],
  onDone: () => void,
) {
  const queries = useQueryClient();
  const form = useCommandForm(type, schema);
  const send = (payload: unknown) =>
    form.send(payload, () => {
      for (const queryKey of refresh) void queries.invalidateQueries({ queryKey });
      onDone();
    });
  return { ...form, send };
}

export type RecordCommand = ReturnType<typeof useRecordCommand>;

/** The frame every form on the record shares: its title, fields, the refusal, send and cancel. */
export function RecordForm({
  id,
  title,
  submitLabel,
  form,
  placed,
  onSubmit,
  onClose,
  children,
}: {
  /** Unique on the page: the title's id is made of it. */
  id: string;
  title: string;
  submitLabel: string;
  form: RecordCommand;
  /** The paths of the fields this form shows (their errors are shown there, not listed below). */
  placed: RegExp;
  onSubmit: () => void;
  onClose: () => void;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLFormElement>(null);
  // The form opens under what it acts on: its first control takes the focus, so the keyboard is there.
  useEffect(() => ref.current?.querySelector<HTMLElement>("input, select, textarea, button")?.focus(), []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form ref={ref} onSubmit={submit} noValidate aria-labelledby={`${id}-title`} className="work-form">
      <h3 id={`${id}-title`}>{title}</h3>
      {children}
      {form.refusal([placed])}
      <FormActions pending={form.command.isPending} label={submitLabel} onCancel={onClose} />
    </form>
  );
}

/** A field of a short form: the payload's name for it and its label. */
interface Part {
  field: string;
  label: string;
  hint?: string | undefined;
}

/**
 * A command that is at most a date (or a moment), one choice from a list and one free text,
 * about something the form is given (`fixed`: a pathway, a person, a card): a pathway's
 * follow-up or leaving, an appeal's decision, a revocation, a card's issue, reissue or revocation.
 * One form, given the command, its schema and its field names and labels.
 */
export function ShortCommandForm<Option extends string>({
  id,
  title,
  submitLabel,
  type,
  schema,
  refresh,
  onClose,
  fixed,
  notice,
  date,
  choice,
  text,
}: {
  id: string;
  title: string;
  submitLabel: string;
  type: string;
  schema: Schema;
  refresh: readonly QueryKey[];
  onClose: () => void;
  fixed: Record<string, unknown>;
  /** What to know before sending (a card's number comes from the ledger). */
  notice?: string | undefined;
  /** A day ("date") or a moment, sent as ISO 8601 with its offset ("datetime-local", now by default). */
  date?: (Part & { kind: "date" | "datetime-local" }) | undefined;
  choice?: (Part & { options: readonly Option[]; optionLabel: (option: Option) => string }) | undefined;
  text?: Part | undefined;
}) {
  const { t } = useTranslation();
  const [on, setOn] = useState(() => (date?.kind === "datetime-local" ? localDateTime() : ""));
  const [chosen, setChosen] = useState<Option | "">("");
  const [typed, setTyped] = useState("");
  const form = useRecordCommand(type, schema, refresh, onClose);
  const { error } = form;
  const fields = [date?.field, choice?.field, text?.field].filter(Boolean).join("|");
  const payload = {
    ...fixed,
    ...(date ? { [date.field]: date.kind === "date" ? on : isoDateTime(on) } : {}),
    ...(choice ? { [choice.field]: chosen } : {}),
    ...(text ? { [text.field]: optional(typed) } : {}),
  };
  return (
    <RecordForm
      id={id}
      title={title}
      submitLabel={submitLabel}
      form={form}
      placed={new RegExp(`^payload\\.(${fields || "$^"})`, "u")}
      onSubmit={() => form.send(payload)}
      onClose={onClose}
    >
      {notice && <p className="hint">{notice}</p>}
      {date && (
        <TextField
          label={date.label}
          hint={date.hint}
          type={date.kind}
          value={on}
          onChange={setOn}
          error={error(`payload.${date.field}`)}
        />
      )}
      {choice && (
        <Choice
          label={choice.label}
          hint={choice.hint}
          value={chosen}
          options={choice.options}
          optionLabel={choice.optionLabel}
          onChange={setChosen}
          prompt={t("lane.choosePrompt")}
          error={error(`payload.${choice.field}`)}
        />
      )}
      {text && (
        <TextField
          label={text.label}
          hint={text.hint}
          value={typed}
          onChange={setTyped}
          error={error(`payload.${text.field}`)}
          multiline
        />
      )}
    </RecordForm>
  );
}
