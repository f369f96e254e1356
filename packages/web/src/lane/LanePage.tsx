import type { EligibilityReason, SiteView } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useAccount } from "../session/session.ts";
import { useSettings } from "../settings/settings.tsx";
import { Field } from "../ui/Field.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code } from "../ui/Text.tsx";
import type { CommandAnswer, Outcome } from "./commands.ts";
import { HandoverStep, type Recorded, type Verifier } from "./HandoverStep.tsx";
import { type LanePerson, PersonName, PersonStep } from "./PersonStep.tsx";
import { Correction } from "./queue/Correction.tsx";
import { QueueProvider, useQueue } from "./queue/QueueContext.tsx";
import { QueuePanel } from "./queue/QueuePanel.tsx";
import type { QueueEntry } from "./queue/queue.ts";

// The collection lane: find or register the person, list what they hand in, record it, print the
// receipt, next person. Each step is one command, queued on the device (encrypted) and sent at
// once when the network allows, or later by itself (queue/): the lane goes on offline.

/** Sites where a handover may be recorded (the server refuses depots and destruction sites). */
const collects = (s: SiteView) => s.kind === "collection" || s.kind === "mobile_team";

export function LanePage() {
  return (
    <QueueProvider>
      <Lane />
    </QueueProvider>
  );
}

function Lane() {
  const { t } = useTranslation();
  const queue = useQueue();
  const { language } = useSettings();
  const account = useAccount().data;
  const sites = useQuery({
    queryKey: ["sites"],
    queryFn: () => getJson<{ items: SiteView[] }>("/api/v1/sites"),
    staleTime: 5 * 60_000,
  });
  const [siteId, setSiteId] = useState("");
  // The verifying officer sits at the table all day: kept from one person to the next.
  const [verifier, setVerifier] = useState<Verifier>({ name: "", affiliation: "" });
  const [person, setPerson] = useState<LanePerson | undefined>(undefined);
  const [recorded, setRecorded] = useState<Outcome<Recorded> | undefined>(undefined);
  // Each person's lane starts afresh (new forms, new command ids): the key remounts it.
  const [round, setRound] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);

  // A handover kept in the queue and sent while the person is still at the table (or refused,
  // corrected and sent as its replacement): its result.
  const sentLater =
    recorded?.status === "queued" ? sentAs(queue.overview.entries, recorded.entry.commandId) : undefined;
  const shown =
    recorded?.status === "sent"
      ? recorded.answer
      : (sentLater?.answer as CommandAnswer<Recorded> | undefined);

  const mine = (sites.data?.items ?? []).filter(
    (s) => collects(s) && (account?.scope.sites === "all" || account?.scope.sites.includes(s.id)),
  );
  const chosenSite = siteId || mine[0]?.id || "";

  function next() {
    setPerson(undefined);
    setRecorded(undefined);
    setRound(round + 1);
  }
  // "Next person" and each step move the focus to what comes next, for the keyboard.
  useEffect(() => {
    if (round > 0 || person || recorded) heading.current?.focus();
  }, [round, person, recorded]);

  return (
    <section aria-labelledby="lane-title" className="lane">
      <h1 id="lane-title" ref={heading} tabIndex={-1}>
        {t("lane.title")}
      </h1>
      <p className="muted">{t("lane.intro")}</p>
      <QueuePanel />
      {queue.correcting ? (
        <Correction entry={queue.correcting} />
      ) : !queue.ready ? null : (
        <QueryState query={sites}>
          {() =>
            mine.length === 0 ? (
              <p className="notice notice-error">{t("lane.noSite")}</p>
            ) : (
              <div key={round}>
                <Field label={t("lane.site")}>
                  {(control) => (
                    <select
                      {...control}
                      value={chosenSite}
                      disabled={person !== undefined}
                      onChange={(e) => setSiteId(e.target.value)}
                    >
                      {mine.map((s) => (
                        <option key={s.id} value={s.id}>
                          {language === "ar" ? s.nameAr : s.nameEn} ({s.code})
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                {!person && <PersonStep siteId={chosenSite} onChosen={setPerson} />}
                {person && (
                  <div className="notice" aria-live="polite">
                    <p>
                      {t(person.justRegistered ? "lane.registered" : "lane.chosen")}{" "}
                      <PersonName name={person.name} />
                    </p>
                    {person.queuedAs && <p>{t("queue.queuedPerson")}</p>}
                  </div>
                )}
                {person?.duplicateReview === "pending" && (
                  <div className="notice notice-warning" role="alert">
                    <p>
                      <strong>{t("lane.reviewPendingTitle")}</strong>
                    </p>
                    <p>{t("lane.reviewPendingText")}</p>
                  </div>
                )}
                {person && person.duplicateReview !== "pending" && !recorded && (
                  <HandoverStep
                    siteId={chosenSite}
                    personId={person.id}
                    verifier={verifier}
                    setVerifier={setVerifier}
                    onRecorded={setRecorded}
                    dependsOn={person.queuedAs ? [person.queuedAs] : undefined}
                  />
                )}
                {shown && <Result answer={shown} />}
                {recorded?.status === "queued" && !shown && (
                  <p className="notice notice-warning" role="status">
                    {t("queue.queuedHandover")}
                  </p>
                )}
                {person && (
                  <div className="actions">
                    <button type="button" onClick={next}>
                      {t("lane.nextPerson")}
                    </button>
                  </div>
                )}
              </div>
            )
          }
        </QueryState>
      )}
    </section>
  );
}

/**
 * The entry that was sent for a queued command: itself once sent, or, when it was refused and
 * corrected, the replacement it names (followed along the chain of corrections).
 */
function sentAs(entries: readonly QueueEntry[], commandId: string): QueueEntry | undefined {
  const seen = new Set<string>();
  let id: string | undefined = commandId;
  while (id !== undefined && !seen.has(id)) {
    seen.add(id);
    const entry = entries.find((e) => e.commandId === id);
    if (entry?.status === "sent") return entry;
    id = entry?.status === "replaced" ? entry.replacedBy : undefined;
  }
  return undefined;
}

/** The roll sizes GET /api/v1/handovers/:id/labels.pdf prints on (server/src/receipt/labels-pdf.ts). */
const labelSizes = ["62x29", "89x36", "101x51"] as const;
type LabelSize = (typeof labelSizes)[number];
const LABEL_SIZE_KEY = "armsledger.labelSize";

export function Result({ answer }: { answer: CommandAnswer<Recorded> }) {
  const { t } = useTranslation();
  // The site's label printer does not change between people: the choice is remembered.
  const [labelSize, setLabelSizeState] = useState<LabelSize>(() => {
    const saved = localStorage.getItem(LABEL_SIZE_KEY);
    return labelSizes.find((s) => s === saved) ?? "62x29";
  });
  const setLabelSize = (s: LabelSize) => {
    localStorage.setItem(LABEL_SIZE_KEY, s);
    setLabelSizeState(s);
  };
  const { eligibility, handoverId, receiptNumber, weapons, ammunition } = answer.data;
  const eligible = eligibility.status === "eligible";
  return (
    <section aria-labelledby="lane-result">
      <h2 id="lane-result">{t("lane.resultHeading")}</h2>
      <div className={`notice ${eligible ? "notice-ok" : "notice-warning"}`} role="status">
        <p>
          <strong>{t(`lane.eligibility.${eligibility.status}`)}</strong>
        </p>
        <ul>
          {eligibility.reasons.map((r: EligibilityReason) => (
            <li key={r}>{t(`lane.reasons.${r}`)}</li>
          ))}
        </ul>
      </div>
      <dl>
        <dt>{t("lane.receiptNumber")}</dt>
        <dd>
          <Code>{receiptNumber}</Code>
        </dd>
        <dt>{t("lane.tags")}</dt>
        <dd>
          {[...weapons, ...ammunition].map((i) => (
            <Code key={i.tag}>{i.tag}</Code>
          ))}
        </dd>
      </dl>
      <div className="actions">
        <a href={`/api/v1/handovers/${handoverId}/receipt.pdf`} target="_blank" rel="noopener">
          {t("lane.printReceipt")}
        </a>
        <a
          href={`/api/v1/handovers/${handoverId}/labels.pdf?size=${labelSize}`}
          target="_blank"
          rel="noopener"
        >
          {t("lane.printLabels")}
        </a>
      </div>
      <Field label={t("lane.labelSize")} hint={t("lane.labelsHint")}>
        {(control) => (
          <select {...control} value={labelSize} onChange={(e) => setLabelSize(e.target.value as LabelSize)}>
            {labelSizes.map((s) => (
              <option key={s} value={s}>
                {t(`lane.labelSizes.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
    </section>
  );
}
