import {
  followUpStatuses,
  leavingReasons,
  type PathwayKind,
  pathwayFollowUp,
  pathwayKinds,
  pathwayLeaving,
  pathwayOffer,
  pathwayPlacement,
  pathwayResponse,
  pathwayStates,
  pathwayVetting,
  roleMay,
  vettingResults,
} from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { optional, TextField } from "../custody/form.tsx";
import { useFormat } from "../format/format.ts";
import { useAccount } from "../session/session.ts";
import { Choice } from "../ui/Choice.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";
import { RecordForm, type Schema, ShortCommandForm, useRecordCommand } from "./record-form.tsx";

/** A pathway as GET /api/v1/persons/:id/pathways gives it (the fields this screen shows). */
interface Pathway {
  id: string;
  kind: string;
  state: string;
  active?: boolean;
  vetting?: string;
  offeredOn: string;
  respondedOn?: string | null;
  placedOn: string | null;
  leftOn?: string | null;
  leftReason?: string | null;
}

const has = <T extends string>(list: readonly T[], s: string | null | undefined): s is T =>
  s != null && (list as readonly string[]).includes(s);

/** The steps a case worker records on a pathway, each one command (docs/reintegration.md). */
type Step = "respond" | "vet" | "place" | "follow_up" | "leave";

/** Which step a pathway in this state is waiting for (several for a placement). */
function stepsOf(p: Pathway): Step[] {
  if (p.active === false) return [];
  // Vetting may come before the answer or after it, never after a refusal (the pathway is closed).
  const vetting: Step[] = p.kind === "security_forces" && p.vetting === "pending" ? ["vet"] : [];
  if (p.state === "offered") return ["respond", ...vetting];
  if (p.state === "accepted") return vetting.length > 0 ? vetting : ["place"];
  if (p.state === "placed") return ["follow_up", "leave"];
  return [];
}

/**
 * The person's pathways (case worker, admin): their history, and the forms for the next step of
 * each (offer when none is active, the response, vetting for the security forces, placement,
 * follow-up, leaving), each shown only to the roles core's policy lets take it.
 */
export function Pathways({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const role = useAccount().data?.role;
  const [open, setOpen] = useState<{ step: Step | "offer"; pathway?: Pathway } | undefined>();
  const pathways = useQuery({
    queryKey: ["persons", personId, "pathways"],
    queryFn: () => getJson<{ items: Pathway[] }>(`/api/v1/persons/${personId}/pathways`),
  });
  const may = (step: Step | "offer") => role !== undefined && roleMay(role, `pathway.${step}`);
  const close = () => setOpen(undefined);
  const day = (d: string | null | undefined) => (d ? format.day(d) : "—");
  return (
    <QueryState query={pathways}>
      {({ items }) => {
        const active = items.some((p) => p.active ?? ["offered", "accepted", "placed"].includes(p.state));
        return (
          <>
            <DataTable<Pathway>
              caption={t("pathways.title")}
              rows={items}
              rowKey={(p) => p.id}
              columns={[
                {
                  id: "kind",
                  header: t("reintegration.kind"),
                  cell: (p) => (has(pathwayKinds, p.kind) ? t(`reintegration.kinds.${p.kind}`) : p.kind),
                },
                {
                  id: "state",
                  header: t("pathways.state"),
                  cell: (p) => (
                    <>
                      {has(pathwayStates, p.state) ? t(`pathways.states.${p.state}`) : p.state}
                      {p.kind === "security_forces" && has(vettingStates, p.vetting) && (
                        <> · {t(`pathways.vettingStates.${p.vetting}`)}</>
                      )}
                    </>
                  ),
                },
                { id: "offered", header: t("pathways.offeredOn"), cell: (p) => format.day(p.offeredOn) },
                { id: "responded", header: t("pathways.respondedOn"), cell: (p) => day(p.respondedOn) },
                { id: "placed", header: t("reintegration.placedOn"), cell: (p) => day(p.placedOn) },
                {
                  id: "left",
                  header: t("pathways.leftOn"),
                  cell: (p) => (
                    <>
                      {day(p.leftOn)}
                      {has(leavingReasons, p.leftReason) &&
                        ` (${t(`pathways.leavingReasons.${p.leftReason}`)})`}
                    </>
                  ),
                },
                {
                  id: "actions",
                  header: t("groups.actions"),
                  cell: (p) =>
                    stepsOf(p)
                      .filter(may)
                      .map((step) => (
                        <button
                          key={step}
                          type="button"
                          className="secondary"
                          onClick={() => setOpen({ step, pathway: p })}
                        >
                          {t(`pathways.steps.${step}`)}
                        </button>
                      )),
                },
              ]}
            />
            {!active && may("offer") && !open && (
              <div className="actions">
                <button type="button" onClick={() => setOpen({ step: "offer" })}>
                  {t("pathways.steps.offer")}
                </button>
              </div>
            )}
            {open?.step === "offer" && <OfferForm personId={personId} onClose={close} />}
            {open?.pathway && open.step === "respond" && (
              <RespondForm key={open.pathway.id} personId={personId} pathway={open.pathway} onClose={close} />
            )}
            {open?.pathway && open.step === "vet" && (
              <VetForm key={open.pathway.id} personId={personId} pathway={open.pathway} onClose={close} />
            )}
            {open?.pathway && open.step === "place" && (
              <PlaceForm key={open.pathway.id} personId={personId} pathway={open.pathway} onClose={close} />
            )}
            {open?.pathway && open.step === "follow_up" && (
              <FollowUpForm
                key={open.pathway.id}
                personId={personId}
                pathway={open.pathway}
                onClose={close}
              />
            )}
            {open?.pathway && open.step === "leave" && (
              <LeaveForm key={open.pathway.id} personId={personId} pathway={open.pathway} onClose={close} />
            )}
          </>
        );
      }}
    </QueryState>
  );
}

const vettingStates = [...vettingResults, "not_required"] as const;

/** The refresh after a step: the person's pathways and the follow-up list. */
const stepRefresh = (personId: string) => [["persons", personId, "pathways"], ["pathways"]] as const;

/** One step's command, through the record's form machinery (record-form.tsx). */
function useStep(step: Step | "offer", schema: Schema, personId: string, onClose: () => void) {
  return useRecordCommand(`pathway.${step}`, schema, stepRefresh(personId), onClose);
}

/** The frame every step's form shares: its title, fields, the refusal, send and cancel. */
function StepForm({
  step,
  ...props
}: { step: Step | "offer" } & Omit<Parameters<typeof RecordForm>[0], "id" | "title" | "submitLabel">) {
  const { t } = useTranslation();
  return (
    <RecordForm
      id={`pathway-${step}`}
      title={t(`pathways.steps.${step}`)}
      submitLabel={t(`pathways.submit.${step}`)}
      {...props}
    />
  );
}

interface StepProps {
  personId: string;
  pathway: Pathway;
  onClose: () => void;
}

/** Free text typed one item per line (referrals). */
const lines = (s: string) =>
  s
    .split("\n")
    .map((x) => x.trim())
    .filter(Boolean);

function OfferForm({ personId, onClose }: { personId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<PathwayKind | "">("");
  const [on, setOn] = useState("");
  const [force, setForce] = useState("");
  const [unit, setUnit] = useState("");
  const [course, setCourse] = useState("");
  const [job, setJob] = useState("");
  const [referrals, setReferrals] = useState("");
  const [note, setNote] = useState("");
  const form = useStep("offer", pathwayOffer, personId, onClose);
  const { error } = form;
  const details =
    kind === "security_forces"
      ? { force, unit: optional(unit) }
      : kind === "civilian"
        ? { trainingCourse: optional(course), jobPlacement: optional(job), referrals: lines(referrals) }
        : {};
  return (
    <StepForm
      step="offer"
      form={form}
      placed={/^payload\.(kind|offeredOn|force|unit|trainingCourse|jobPlacement|referrals|note)/u}
      onSubmit={() => form.send({ personId, kind, offeredOn: on, ...details, note: optional(note) })}
      onClose={onClose}
    >
      <Choice
        label={t("pathways.kind")}
        value={kind}
        options={pathwayKinds}
        optionLabel={(k) => t(`reintegration.kinds.${k}`)}
        onChange={setKind}
        prompt={t("lane.choosePrompt")}
        error={error("payload.kind")}
      />
      <TextField
        label={t("pathways.offeredOn")}
        type="date"
        value={on}
        onChange={setOn}
        error={error("payload.offeredOn")}
      />
      {kind === "security_forces" && (
        <>
          <TextField
            label={t("pathways.force")}
            value={force}
            onChange={setForce}
            error={error("payload.force")}
          />
          <TextField
            label={t("pathways.unit")}
            value={unit}
            onChange={setUnit}
            error={error("payload.unit")}
          />
        </>
      )}
      {kind === "civilian" && (
        <>
          <p className="hint">{t("pathways.civilianHint")}</p>
          <TextField
            label={t("pathways.trainingCourse")}
            value={course}
            onChange={setCourse}
            error={error("payload.trainingCourse")}
          />
          <TextField
            label={t("pathways.jobPlacement")}
            value={job}
            onChange={setJob}
            error={error("payload.jobPlacement")}
          />
          <TextField
            label={t("pathways.referrals")}
            hint={t("pathways.referralsHint")}
            value={referrals}
            onChange={setReferrals}
            error={error("payload.referrals")}
            multiline
          />
        </>
      )}
      <TextField
        label={t("groups.note")}
        value={note}
        onChange={setNote}
        error={error("payload.note")}
        multiline
      />
    </StepForm>
  );
}

const responses = ["accept", "decline"] as const;

function RespondForm({ personId, pathway, onClose }: StepProps) {
  const { t } = useTranslation();
  const [response, setResponse] = useState<(typeof responses)[number] | "">("");
  const [on, setOn] = useState("");
  const [reason, setReason] = useState("");
  const form = useStep("respond", pathwayResponse, personId, onClose);
  const { error } = form;
  return (
    <StepForm
      step="respond"
      form={form}
      placed={/^payload\.(response|respondedOn|reason)/u}
      onSubmit={() =>
        form.send({ pathwayId: pathway.id, response, respondedOn: on, reason: optional(reason) })
      }
      onClose={onClose}
    >
      <Choice
        label={t("pathways.response")}
        value={response}
        options={responses}
        optionLabel={(r) => t(`pathways.responses.${r}`)}
        onChange={setResponse}
        prompt={t("lane.choosePrompt")}
        error={error("payload.response")}
      />
      <TextField
        label={t("pathways.respondedOn")}
        type="date"
        value={on}
        onChange={setOn}
        error={error("payload.respondedOn")}
      />
      {response === "decline" && (
        <TextField
          label={t("pathways.declineReason")}
          value={reason}
          onChange={setReason}
          error={error("payload.reason")}
          multiline
        />
      )}
    </StepForm>
  );
}

const vettingOutcomes = ["cleared", "refused"] as const;

function VetForm({ personId, pathway, onClose }: StepProps) {
  const { t } = useTranslation();
  const [result, setResult] = useState<(typeof vettingOutcomes)[number] | "">("");
  const [on, setOn] = useState("");
  const [reference, setReference] = useState("");
  const [note, setNote] = useState("");
  const form = useStep("vet", pathwayVetting, personId, onClose);
  const { error } = form;
  return (
    <StepForm
      step="vet"
      form={form}
      placed={/^payload\.(result|vettedOn|reference|note)/u}
      onSubmit={() =>
        form.send({
          pathwayId: pathway.id,
          result,
          vettedOn: on,
          reference: reference.trim(),
          note: optional(note),
        })
      }
      onClose={onClose}
    >
      <Choice
        label={t("pathways.vettingResult")}
        value={result}
        options={vettingOutcomes}
        optionLabel={(r) => t(`pathways.vettingStates.${r}`)}
        onChange={setResult}
        prompt={t("lane.choosePrompt")}
        error={error("payload.result")}
      />
      <TextField
        label={t("pathways.vettedOn")}
        type="date"
        value={on}
        onChange={setOn}
        error={error("payload.vettedOn")}
      />
      <TextField
        label={t("pathways.vettingReference")}
        value={reference}
        onChange={setReference}
        error={error("payload.reference")}
        code
      />
      <TextField
        label={t("groups.note")}
        value={note}
        onChange={setNote}
        error={error("payload.note")}
        multiline
      />
    </StepForm>
  );
}

function PlaceForm({ personId, pathway, onClose }: StepProps) {
  const { t } = useTranslation();
  const [on, setOn] = useState("");
  const [serviceNumber, setServiceNumber] = useState("");
  const [unit, setUnit] = useState("");
  const [membershipNumber, setMembershipNumber] = useState("");
  const [placement, setPlacement] = useState("");
  const [note, setNote] = useState("");
  const form = useStep("place", pathwayPlacement, personId, onClose);
  const { error } = form;
  const details =
    pathway.kind === "security_forces"
      ? { serviceNumber: optional(serviceNumber), unit: optional(unit) }
      : pathway.kind === "political_party"
        ? { membershipNumber: optional(membershipNumber) }
        : { placement: optional(placement) };
  return (
    <StepForm
      step="place"
      form={form}
      placed={/^payload\.(placedOn|serviceNumber|unit|membershipNumber|placement|note)/u}
      onSubmit={() => form.send({ pathwayId: pathway.id, placedOn: on, ...details, note: optional(note) })}
      onClose={onClose}
    >
      <TextField
        label={t("reintegration.placedOn")}
        type="date"
        value={on}
        onChange={setOn}
        error={error("payload.placedOn")}
      />
      {pathway.kind === "security_forces" && (
        <>
          <TextField
            label={t("pathways.serviceNumber")}
            hint={t("pathways.numberHint")}
            value={serviceNumber}
            onChange={setServiceNumber}
            error={error("payload.serviceNumber")}
            code
          />
          <TextField
            label={t("pathways.unit")}
            value={unit}
            onChange={setUnit}
            error={error("payload.unit")}
          />
        </>
      )}
      {pathway.kind === "political_party" && (
        <TextField
          label={t("pathways.membershipNumber")}
          hint={t("pathways.numberHint")}
          value={membershipNumber}
          onChange={setMembershipNumber}
          error={error("payload.membershipNumber")}
          code
        />
      )}
      {pathway.kind === "civilian" && (
        <TextField
          label={t("pathways.placement")}
          value={placement}
          onChange={setPlacement}
          error={error("payload.placement")}
        />
      )}
      <TextField
        label={t("groups.note")}
        value={note}
        onChange={setNote}
        error={error("payload.note")}
        multiline
      />
    </StepForm>
  );
}

/**
 * A step that is a date, one choice from a list and a note: a follow-up (its status) and leaving
 * the pathway (the reason), each the record's short form given the step's command and fields.
 */
function DatedChoiceForm<Option extends string>({
  personId,
  pathway,
  onClose,
  step,
  schema,
  dateField,
  choiceField,
  dateLabel,
  choiceLabel,
  options,
  optionLabel,
}: StepProps & {
  step: "follow_up" | "leave";
  schema: Schema;
  dateField: string;
  choiceField: string;
  dateLabel: string;
  choiceLabel: string;
  options: readonly Option[];
  optionLabel: (option: Option) => string;
}) {
  const { t } = useTranslation();
  return (
    <ShortCommandForm
      id={`pathway-${step}`}
      title={t(`pathways.steps.${step}`)}
      submitLabel={t(`pathways.submit.${step}`)}
      type={`pathway.${step}`}
      schema={schema}
      refresh={stepRefresh(personId)}
      onClose={onClose}
      fixed={{ pathwayId: pathway.id }}
      date={{ field: dateField, label: dateLabel, kind: "date" }}
      choice={{ field: choiceField, label: choiceLabel, options, optionLabel }}
      text={{ field: "note", label: t("groups.note") }}
    />
  );
}

function FollowUpForm(props: StepProps) {
  const { t } = useTranslation();
  return (
    <DatedChoiceForm
      {...props}
      step="follow_up"
      schema={pathwayFollowUp}
      dateField="followedUpOn"
      choiceField="status"
      dateLabel={t("pathways.followedUpOn")}
      choiceLabel={t("pathways.followUpStatus")}
      options={followUpStatuses}
      optionLabel={(s) => t(`pathways.followUpStatuses.${s}`)}
    />
  );
}

function LeaveForm(props: StepProps) {
  const { t } = useTranslation();
  return (
    <DatedChoiceForm
      {...props}
      step="leave"
      schema={pathwayLeaving}
      dateField="leftOn"
      choiceField="reason"
      dateLabel={t("pathways.leftOn")}
      choiceLabel={t("pathways.leavingReason")}
      options={leavingReasons}
      optionLabel={(r) => t(`pathways.leavingReasons.${r}`)}
    />
  );
}
