import {
  type Action,
  appealDecision,
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
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { isoDateTime, localDateTime, optional, TextField } from "../custody/form.tsx";
import { useAccount } from "../session/session.ts";
import { useSettings } from "../settings/settings.tsx";
import { Choice } from "../ui/Choice.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code } from "../ui/Text.tsx";
import { personRefresh, RecordForm, ShortCommandForm, useRecordCommand } from "./record-form.tsx";

/** The screening and eligibility commands a person's record offers, each one form. */
type Step = "screen" | "appeal" | "decide" | "revoke";

/** Each step's command; the policy's action has the same name (core's access policy). */
const commandOf: Record<Step, Action> = {
  screen: "screening.record",
  appeal: "eligibility.appeal",
  decide: "eligibility.decide_appeal",
  revoke: "eligibility.revoke",
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
  return out;
}

/**
 * Under the standing: record a screening, lodge an appeal, decide it, revoke the eligibility —
 * each offered when the standing leaves it open and only to the roles core's policy lets send
 * its command (the server asks the same policy, and the rules again).
 */
export function EligibilityActions({ personId, history }: { personId: string; history: EligibilityHistory }) {
  const { t } = useTranslation();
  const role = useAccount().data?.role;
  const [open, setOpen] = useState<Step | undefined>();
  const close = () => setOpen(undefined);
  const offered = openSteps(history).filter((s) => role !== undefined && roleMay(role, commandOf[s]));
  const lodged = history.appeals.find((a) => a.status === "lodged");
  /** What a short form is called, sends and reads again. */
  const short = (step: "decide" | "revoke") => ({
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

/** The screening interview: the programme's questions and exclusion indications, read first. */
function ScreeningForm({ personId, onClose }: { personId: string; onClose: () => void }) {
  const programme = useQuery({
    queryKey: ["programme"],
    queryFn: () => getJson<Programme>("/api/v1/programme"),
  });
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

/** What the officer put down for one question, as the command carries it; undefined when left blank. */
function answerOf(q: ScreeningQuestion, given: string | undefined) {
  const value = given?.trim() ?? "";
  if (value === "") return undefined;
  if (q.verifiedBy.kind === "officer_judgement") return { questionId: q.id, judgement: value };
  if (typeof q.verifiedBy.answer === "boolean") return { questionId: q.id, answer: value === "yes" };
  return { questionId: q.id, answer: value };
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
  const [found, setFound] = useState<string[]>([]);
  const [notes, setNotes] = useState("");
  const form = useRecordCommand(commandOf.screen, screening, personRefresh(personId), onClose);
  const { error } = form;
  // Questions left blank are not sent (they verify nothing): an error's index is the answer's.
  const answers = rules.questions.map((q) => answerOf(q, given[q.id])).filter((a) => a !== undefined);
  const errorAt = (q: ScreeningQuestion) => {
    const n = answers.findIndex((a) => a.questionId === q.id);
    const at = `payload.answers.${n}`;
    return n < 0 ? undefined : error(`${at}.answer`, `${at}.judgement`, `${at}.questionId`, at);
  };
  const set = (id: string) => (value: string) => setGiven({ ...given, [id]: value });
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
        if (q.verifiedBy.kind === "officer_judgement")
          return (
            <Choice
              key={q.id}
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
        if (typeof q.verifiedBy.answer === "boolean")
          return (
            <Choice
              key={q.id}
              label={label}
              value={value as (typeof yesNo)[number] | ""}
              options={yesNo}
              optionLabel={(a) => t(`standing.${a}`)}
              onChange={set(q.id)}
              prompt={t("lane.choosePrompt")}
              error={errorAt(q)}
            />
          );
        return <TextField key={q.id} label={label} value={value} onChange={set(q.id)} error={errorAt(q)} />;
      })}
      {rules.exclusionIndications.length > 0 && (
        <fieldset>
          <legend>{t("standing.indications")}</legend>
          <p className="hint">{t("standing.indicationsHint")}</p>
          <div className="checks">
            {rules.exclusionIndications.map((code) => (
              <label key={code}>
                <input
                  type="checkbox"
                  checked={found.includes(code)}
                  onChange={(e) =>
                    setFound(e.target.checked ? [...found, code] : found.filter((c) => c !== code))
                  }
                />{" "}
                <Code>{code}</Code>
              </label>
            ))}
          </div>
          {error("payload.indications") && <p className="error">{error("payload.indications")}</p>}
        </fieldset>
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
      placed={/^payload\.(lodgedAt|lodgedBy|grounds)/u}
      onSubmit={() =>
        form.send({ personId, lodgedAt: isoDateTime(at), lodgedBy, grounds: optional(grounds) })
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
    </RecordForm>
  );
}
