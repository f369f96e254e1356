import {
  type Action,
  appealDecision,
  deathRecord,
  defaultScreeningRules,
  type EligibilityHistory,
  eligibilityAppeal,
  eligibilityRevocation,
  roleMay,
  type ScreeningQuestion,
  type ScreeningRules,
  screening,
} from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { Fragment, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { type ErrorAt, isoDateTime, lines, localDateTime, optional, TextField } from "../custody/form.tsx";
import { useAccount } from "../session/session.ts";
import { useSettings } from "../settings/settings.tsx";
import { Checks } from "../ui/Checks.tsx";
import { Choice } from "../ui/Choice.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code } from "../ui/Text.tsx";
import { personRefresh, RecordForm, ShortCommandForm, useRecordCommand } from "./record-form.tsx";

/** The screening and eligibility commands a person's record offers, each one form. */
type Step = "screen" | "appeal" | "decide" | "revoke" | "death";

/** Each step's command; the policy's action has the same name (core's access policy). */
const commandOf: Record<Step, Action> = {
  screen: "screening.record",
  appeal: "eligibility.appeal",
  decide: "eligibility.decide_appeal",
  revoke: "eligibility.revoke",
  death: "person.record_death",
};

/** Which steps the record's standing leaves open, before asking who may take them. */
function openSteps(h: EligibilityHistory): Step[] {
  if (h.deceasedOn) return [];
  const lodged = h.appeals.some((a) => a.status === "lodged");
  const out: Step[] = [];
  // A revoked eligibility is restored by an appeal only, never by a new screening.
  if (!h.eligibilityRevoked) out.push("screen");
  if ((!h.eligible || h.eligibilityRevoked) && !lodged) out.push("appeal");
  if (lodged) out.push("decide");
  if (h.eligible && !h.eligibilityRevoked) out.push("revoke");
  // A death is recorded once (a wrong one is corrected, not recorded again).
  out.push("death");
  return out;
}

/**
 * Under the standing: record a screening, lodge an appeal, decide it, revoke the eligibility,
 * record the person's death — each offered when the standing leaves it open and only to the
 * roles core's policy lets send its command (the server asks the same policy, and the rules again).
 */
export function EligibilityActions({ personId, history }: { personId: string; history: EligibilityHistory }) {
  const { t } = useTranslation();
  const role = useAccount().data?.role;
  const [open, setOpen] = useState<Step | undefined>();
  const close = () => setOpen(undefined);
  const offered = openSteps(history).filter((s) => role !== undefined && roleMay(role, commandOf[s]));
  const lodged = history.appeals.find((a) => a.status === "lodged");
  /** What a short form is called, sends and reads again. */
  const short = (step: "decide" | "revoke" | "death") => ({
    id: `eligibility-${step}`,
    title: t(`standing.actions.${step}`),
    submitLabel: t(`standing.submit.${step}`),
    type: commandOf[step],
    refresh: personRefresh(personId),
    onClose: close,
  });
  if (offered.length === 0) return null;
  return (
    <>
      {!open && (
        <div className="actions">
          {offered.map((step) => (
            <button key={step} type="button" className="secondary" onClick={() => setOpen(step)}>
              {t(`standing.actions.${step}`)}
            </button>
          ))}
        </div>
      )}
      {open === "screen" && <ScreeningForm personId={personId} onClose={close} />}
      {open === "appeal" && <AppealForm personId={personId} onClose={close} />}
      {open === "decide" && lodged && (
        <ShortCommandForm
          {...short("decide")}
          schema={appealDecision}
          fixed={{ appealId: lodged.appealId }}
          date={{ field: "decidedAt", label: t("standing.decidedAtField"), kind: "datetime-local" }}
          choice={{
            field: "outcome",
            label: t("standing.outcome"),
            options: outcomes,
            optionLabel: (o) => t(`standing.appealStatuses.${o}`),
          }}
          text={{ field: "reason", label: t("standing.decisionReason") }}
        />
      )}
      {open === "revoke" && (
        <ShortCommandForm
          {...short("revoke")}
          schema={eligibilityRevocation}
          fixed={{ personId }}
          notice={t("standing.revokeNotice")}
          date={{ field: "revokedAt", label: t("standing.revokedAt"), kind: "datetime-local" }}
          text={{ field: "reason", label: t("standing.revokeReason") }}
        />
      )}
      {open === "death" && (
        <ShortCommandForm
          {...short("death")}
          schema={deathRecord}
          fixed={{ personId }}
          notice={t("standing.deathNotice")}
          date={{ field: "diedOn", label: t("standing.diedOnField"), kind: "date" }}
          text={{ field: "source", label: t("standing.deathSource"), hint: t("standing.deathSourceHint") }}
        />
      )}
    </>
  );
}

const outcomes = ["upheld", "overturned"] as const;
const yesNo = ["yes", "no"] as const;
const judgements = ["verified", "not_verified"] as const;
const lodgers = ["person", "representative"] as const;

/** GET /api/v1/programme: the rules as configured (null before the programme is configured). */
interface Programme {
  config: { screening?: Partial<ScreeningRules> } | null;
}

/** The programme's configuration (its screening questions), read once for the record's parts. */
export const useProgramme = () =>
  useQuery({
    queryKey: ["programme"],
    queryFn: () => getJson<Programme>("/api/v1/programme"),
  });

/** The screening interview: the programme's questions and exclusion indications, read first. */
function ScreeningForm({ personId, onClose }: { personId: string; onClose: () => void }) {
  const programme = useProgramme();
  return (
    <QueryState query={programme}>
      {({ config }) => (
        <ScreeningFields
          personId={personId}
          onClose={onClose}
          rules={{ ...defaultScreeningRules, ...config?.screening }}
        />
      )}
    </QueryState>
  );
}

/**
 * References to what backs an answer or an appeal (a document's number, an uploaded file's
 * SHA-256), typed one per line; left out of the payload when none (core defaults them to none).
 */
const evidenceOf = (typed = "") => {
  const refs = lines(typed);
  return refs.length > 0 ? { evidence: refs } : {};
};

/** The optional evidence field of an answer or an appeal, with the errors at it or at any reference. */
function EvidenceField({
  label,
  value,
  onChange,
  error,
  at,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: ErrorAt;
  /** The payload path of the list ("payload.evidence", "payload.answers.0.evidence"). */
  at: string;
}) {
  const { t } = useTranslation();
  const each = lines(value).map((_, i) => `${at}.${i}`);
  return (
    <TextField
      label={label}
      hint={t("standing.evidenceHint")}
      value={value}
      onChange={onChange}
      error={error(at, ...each)}
      multiline
    />
  );
}

/** What the officer put down for one question, as the command carries it; undefined when left blank. */
function answerOf(q: ScreeningQuestion, given: string | undefined, evidence: string | undefined) {
  const value = given?.trim() ?? "";
  if (value === "") return undefined;
  const refs = evidenceOf(evidence);
  if (q.verifiedBy.kind === "officer_judgement") return { questionId: q.id, judgement: value, ...refs };
  if (typeof q.verifiedBy.answer === "boolean") return { questionId: q.id, answer: value === "yes", ...refs };
  return { questionId: q.id, answer: value, ...refs };
}

function ScreeningFields({
  personId,
  onClose,
  rules,
}: {
  personId: string;
  onClose: () => void;
  rules: ScreeningRules;
}) {
  const { t } = useTranslation();
  const { language } = useSettings();
  const [at, setAt] = useState(localDateTime);
  const [given, setGiven] = useState<Record<string, string>>({});
  const [backing, setBacking] = useState<Record<string, string>>({});
  const [found, setFound] = useState<string[]>([]);
  const [notes, setNotes] = useState("");
  const form = useRecordCommand(commandOf.screen, screening, personRefresh(personId), onClose);
  const { error } = form;
  // Questions left blank are not sent (they verify nothing): an error's index is the answer's.
  const answers = rules.questions
    .map((q) => answerOf(q, given[q.id], backing[q.id]))
    .filter((a) => a !== undefined);
  const indexOf = (q: ScreeningQuestion) => answers.findIndex((a) => a.questionId === q.id);
  const errorAt = (q: ScreeningQuestion) => {
    const n = indexOf(q);
    const at = `payload.answers.${n}`;
    return n < 0 ? undefined : error(`${at}.answer`, `${at}.judgement`, `${at}.questionId`, at);
  };
  const set = (id: string) => (value: string) => setGiven({ ...given, [id]: value });
  /** An answered question's evidence (a blank question is not sent, so neither is its evidence). */
  const evidenceFor = (q: ScreeningQuestion, question: string) =>
    indexOf(q) >= 0 && (
      <EvidenceField
        label={t("standing.answerEvidence", { question })}
        value={backing[q.id] ?? ""}
        onChange={(value) => setBacking({ ...backing, [q.id]: value })}
        error={error}
        at={`payload.answers.${indexOf(q)}.evidence`}
      />
    );
  return (
    <RecordForm
      id="eligibility-screen"
      title={t("standing.actions.screen")}
      submitLabel={t("standing.submit.screen")}
      form={form}
      placed={/^payload\.(screenedAt|answers|indications|notes)/u}
      onSubmit={() =>
        form.send({
          personId,
          screenedAt: isoDateTime(at),
          answers,
          indications: found,
          notes: optional(notes),
        })
      }
      onClose={onClose}
    >
      <TextField
        label={t("standing.screenedAtField")}
        type="datetime-local"
        value={at}
        onChange={setAt}
        error={error("payload.screenedAt")}
      />
      {rules.questions.length === 0 && <p className="hint">{t("standing.noQuestions")}</p>}
      {rules.questions.map((q) => {
        const label = q.text[language];
        const value = given[q.id] ?? "";
        let control: ReactNode;
        if (q.verifiedBy.kind === "officer_judgement")
          control = (
            <Choice
              label={label}
              hint={t("standing.judgementHint")}
              value={value as (typeof judgements)[number] | ""}
              options={judgements}
              optionLabel={(j) => t(`standing.judgements.${j}`)}
              onChange={set(q.id)}
              prompt={t("lane.choosePrompt")}
              error={errorAt(q)}
            />
          );
        else if (typeof q.verifiedBy.answer === "boolean")
          control = (
            <Choice
              label={label}
              value={value as (typeof yesNo)[number] | ""}
              options={yesNo}
              optionLabel={(a) => t(`standing.${a}`)}
              onChange={set(q.id)}
              prompt={t("lane.choosePrompt")}
              error={errorAt(q)}
            />
          );
        else control = <TextField label={label} value={value} onChange={set(q.id)} error={errorAt(q)} />;
        return (
          <Fragment key={q.id}>
            {control}
            {evidenceFor(q, label)}
          </Fragment>
        );
      })}
      {rules.exclusionIndications.length > 0 && (
        <Checks
          legend={t("standing.indications")}
          hint={t("standing.indicationsHint")}
          options={rules.exclusionIndications}
          optionLabel={(code) => <Code>{code}</Code>}
          chosen={found}
          onChange={setFound}
          error={error("payload.indications")}
        />
      )}
      <TextField
        label={t("standing.notes")}
        value={notes}
        onChange={setNotes}
        error={error("payload.notes")}
        multiline
      />
    </RecordForm>
  );
}

/** An appeal against ineligibility or a revocation: when, by whom (the person or a representative), why. */
function AppealForm({ personId, onClose }: { personId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [at, setAt] = useState(localDateTime);
  const [by, setBy] = useState<(typeof lodgers)[number] | "">("");
  const [name, setName] = useState("");
  const [relationship, setRelationship] = useState("");
  const [grounds, setGrounds] = useState("");
  const [evidence, setEvidence] = useState("");
  const form = useRecordCommand(commandOf.appeal, eligibilityAppeal, personRefresh(personId), onClose);
  const { error } = form;
  const lodgedBy =
    by === "representative"
      ? { kind: by, name: optional(name), relationship: optional(relationship) }
      : { kind: by };
  return (
    <RecordForm
      id="eligibility-appeal"
      title={t("standing.actions.appeal")}
      submitLabel={t("standing.submit.appeal")}
      form={form}
      placed={/^payload\.(lodgedAt|lodgedBy|grounds|evidence)/u}
      onSubmit={() =>
        form.send({
          personId,
          lodgedAt: isoDateTime(at),
          lodgedBy,
          grounds: optional(grounds),
          ...evidenceOf(evidence),
        })
      }
      onClose={onClose}
    >
      <TextField
        label={t("standing.lodgedAtField")}
        type="datetime-local"
        value={at}
        onChange={setAt}
        error={error("payload.lodgedAt")}
      />
      <Choice
        label={t("standing.lodgedBy")}
        value={by}
        options={lodgers}
        optionLabel={(k) => t(`standing.lodgers.${k}`)}
        onChange={setBy}
        prompt={t("lane.choosePrompt")}
        error={error("payload.lodgedBy.kind", "payload.lodgedBy")}
      />
      {by === "representative" && (
        <>
          <TextField
            label={t("standing.representative")}
            value={name}
            onChange={setName}
            error={error("payload.lodgedBy.name")}
          />
          <TextField
            label={t("standing.relationship")}
            value={relationship}
            onChange={setRelationship}
            error={error("payload.lodgedBy.relationship")}
          />
        </>
      )}
      <TextField
        label={t("standing.grounds")}
        value={grounds}
        onChange={setGrounds}
        error={error("payload.grounds")}
        multiline
      />
      <EvidenceField
        label={t("standing.appealEvidence")}
        value={evidence}
        onChange={setEvidence}
        error={error}
        at="payload.evidence"
      />
    </RecordForm>
  );
}
