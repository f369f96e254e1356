import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../format/format.ts";
import { messages } from "../../i18n/i18n.ts";
import { DataTable } from "../../ui/DataTable.tsx";
import { Code } from "../../ui/Text.tsx";
import { PersonName } from "../PersonStep.tsx";
import { useQueue } from "./QueueContext.tsx";
import type { QueueEntry } from "./queue.ts";

/** Sent commands listed below the ones still waiting (older ones are kept, but not listed). */
const SENT_SHOWN = 10;

const typeKey = (type: string) =>
  type === "person.register" ? "person_register" : type === "handover.record" ? "handover_record" : "other";

/**
 * The queue, always in view in the lane: how many commands wait, were sent or need attention,
 * and each of them, with the refusal's reason in the reader's language, "Correct" (reopens the
 * form) and "Discard" (after a confirmation; kept as a record on the device).
 */
export function QueuePanel() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const queue = useQueue();
  const [confirming, setConfirming] = useState<string | undefined>(undefined);
  const language = (i18n.language in messages ? i18n.language : "en") as keyof typeof messages;
  const { entries, counts, othersWaiting } = queue.overview;
  const count = (status: QueueEntry["status"]) => format.number(counts[status]);
  const pending = counts.pending > 0;
  const sent = entries.filter((e) => e.status === "sent");
  const shown = entries.filter((e) => e.status !== "sent" || sent.indexOf(e) >= sent.length - SENT_SHOWN);

  const details = (e: QueueEntry) => {
    const payload = e.payload as { name?: Parameters<typeof PersonName>[0]["name"] };
    const answer = e.answer as { data?: { handoverId?: string; receiptNumber?: string } } | undefined;
    if (e.type === "person.register" && payload.name) return <PersonName name={payload.name} />;
    if (answer?.data?.receiptNumber)
      return (
        <>
          {t("queue.receipt")} <Code>{answer.data.receiptNumber}</Code>{" "}
          <a href={`/api/v1/handovers/${answer.data.handoverId}/receipt.pdf`} target="_blank" rel="noopener">
            {t("lane.printReceipt")}
          </a>
        </>
      );
    return null;
  };
  const reason = (e: QueueEntry) => {
    if (e.problem)
      return (
        <>
          {messages[language].problems[e.problem.code]}{" "}
          {e.problem.detail && (
            <span lang="en" dir="ltr">
              ({e.problem.detail})
            </span>
          )}
        </>
      );
    return e.status === "attention" && e.heldBy ? t("queue.heldBy") : null;
  };
  const action = (e: QueueEntry) => {
    if (e.status !== "attention") return null;
    if (confirming === e.commandId)
      return (
        <ConfirmDiscard
          onYes={() => {
            setConfirming(undefined);
            void queue.discard(e.commandId);
          }}
          onNo={() => setConfirming(undefined)}
        />
      );
    return (
      <div className="actions">
        {e.problem && e.form !== undefined && typeKey(e.type) !== "other" && (
          <button type="button" onClick={() => queue.setCorrecting(e)}>
            {t("queue.correct")}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => setConfirming(e.commandId)}>
          {t("queue.discard")}
        </button>
      </div>
    );
  };

  return (
    <section aria-labelledby="queue-heading" className="queue">
      <h2 id="queue-heading">{t("queue.heading")}</h2>
      {othersWaiting > 0 && (
        <p className="notice notice-warning">
          {t("queue.othersWaiting", { n: format.number(othersWaiting) })}
        </p>
      )}
      {!queue.ready ? (
        queue.failure ? (
          <p className="notice notice-error" role="alert">
            {t("queue.locked")}
          </p>
        ) : (
          <p role="status">{t("queue.opening")}</p>
        )
      ) : (
        <>
          <p role="status" aria-live="polite">
            {t("queue.counts", {
              pending: count("pending"),
              sent: count("sent"),
              attention: count("attention"),
            })}
            {queue.syncing && ` ${t("queue.syncing")}`}
          </p>
          {pending && queue.stoppedBy !== undefined && (
            <p className="notice notice-warning">{t("queue.stopped")}</p>
          )}
          <div className="actions">
            <button
              type="button"
              className="secondary"
              disabled={queue.syncing || !pending}
              onClick={() => void queue.syncNow()}
            >
              {t("queue.sendNow")}
            </button>
          </div>
          {shown.length > 0 && (
            <DataTable
              caption={t("queue.caption")}
              rows={shown}
              rowKey={(e) => e.commandId}
              columns={[
                { id: "what", header: t("queue.what"), cell: (e) => t(`queue.types.${typeKey(e.type)}`) },
                { id: "details", header: t("queue.details"), cell: details },
                { id: "state", header: t("queue.state"), cell: (e) => t(`queue.statuses.${e.status}`) },
                { id: "reason", header: t("queue.reason"), cell: reason },
                { id: "action", header: t("queue.action"), cell: action },
              ]}
            />
          )}
        </>
      )}
    </section>
  );
}

/** "Discard?" asked in place; the focus moves to "Keep it", so Enter by habit keeps the command. */
function ConfirmDiscard({ onYes, onNo }: { onYes: () => void; onNo: () => void }) {
  const { t } = useTranslation();
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => keep.current?.focus(), []);
  return (
    <div role="alert" className="confirm">
      <p>{t("queue.discardConfirm")}</p>
      <button type="button" onClick={onYes}>
        {t("queue.discardYes")}
      </button>{" "}
      <button type="button" className="secondary" ref={keep} onClick={onNo}>
        {t("queue.discardNo")}
      </button>
    </div>
  );
}
