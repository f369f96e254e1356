import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client.ts";
import { type HandoverForm, HandoverStep, type Verifier } from "../HandoverStep.tsx";
import { type PersonForm, RegisterForm } from "../PersonStep.tsx";
import { useQueue } from "./QueueContext.tsx";
import type { QueueEntry } from "./queue.ts";

/**
 * A refused command reopened in the form it was typed in, with the refusal at its fields. Sending
 * it is a new command replacing the refused one (kept as history); the commands that waited for
 * it (a handover after a refused registration) then follow it.
 */
export function Correction({ entry }: { entry: QueueEntry }) {
  const { t } = useTranslation();
  const queue = useQueue();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const done = () => queue.setCorrecting(undefined);
  const problem = entry.problem
    ? new ApiError(
        entry.problem.status,
        entry.problem.code,
        entry.problem.detail,
        undefined,
        entry.problem.fields,
      )
    : new ApiError(0, "internal", "");
  const payload = entry.payload as { siteId: string; personId?: string; from?: { personId?: string } };
  return (
    <section aria-labelledby="queue-correcting">
      <h2 id="queue-correcting" ref={heading} tabIndex={-1}>
        {t("queue.correctingHeading")}
      </h2>
      <p>{t("queue.correctingIntro")}</p>
      {entry.type === "person.register" ? (
        <RegistrationCorrection entry={entry} problem={problem} siteId={payload.siteId} onDone={done} />
      ) : (
        <HandoverCorrection
          entry={entry}
          problem={problem}
          siteId={payload.siteId}
          personId={payload.from?.personId ?? ""}
          onDone={done}
        />
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={done}>
          {t("queue.cancelCorrection")}
        </button>
      </div>
    </section>
  );
}

function RegistrationCorrection({
  entry,
  problem,
  siteId,
  onDone,
}: {
  entry: QueueEntry;
  problem: ApiError;
  siteId: string;
  onDone: () => void;
}) {
  const [form, setForm] = useState(entry.form as PersonForm);
  const personId = (entry.payload as { personId?: string }).personId ?? crypto.randomUUID();
  return (
    <RegisterForm
      siteId={siteId}
      form={form}
      setForm={setForm}
      onCancel={onDone}
      onRegistered={onDone}
      correcting={{ personId, problem, commandId: entry.commandId }}
    />
  );
}

function HandoverCorrection({
  entry,
  problem,
  siteId,
  personId,
  onDone,
}: {
  entry: QueueEntry;
  problem: ApiError;
  siteId: string;
  personId: string;
  onDone: () => void;
}) {
  const form = entry.form as HandoverForm;
  const [verifier, setVerifier] = useState<Verifier>(form.verifier);
  return (
    <HandoverStep
      siteId={siteId}
      personId={personId}
      verifier={verifier}
      setVerifier={setVerifier}
      onRecorded={onDone}
      dependsOn={entry.dependsOn}
      correcting={{ form: { ...form, verifier }, problem, commandId: entry.commandId }}
    />
  );
}
