import type { EligibilityHistory, EligibilityReason, ScreeningReason } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { messages } from "../i18n/i18n.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code, Entered } from "../ui/Text.tsx";
import { EligibilityActions } from "./EligibilityForms.tsx";

type Screening = EligibilityHistory["screenings"][number];
type Answer = { questionId?: unknown; answer?: unknown; judgement?: unknown };

/** Where a person stands now, from the eligibility history: the first that holds, in this order. */
export const standings = ["deceased", "revoked", "appealPending", "eligible", "notEligible"] as const;
export type Standing = (typeof standings)[number];

export function standingOf(h: EligibilityHistory): Standing {
  if (h.deceasedOn) return "deceased";
  if (h.eligibilityRevoked) return h.appeals.some((a) => a.status === "lodged") ? "appealPending" : "revoked";
  if (h.eligible) return "eligible";
  return h.appeals.some((a) => a.status === "lodged") ? "appealPending" : "notEligible";
}

const latest = (screenings: readonly Screening[]) =>
  [...screenings].sort((a, b) => Date.parse(b.screenedAt) - Date.parse(a.screenedAt))[0];

/** The person's eligibility history (GET /api/v1/persons/:id/eligibility, a logged read). */
export const useEligibility = (personId: string) =>
  useQuery({
    queryKey: ["persons", personId, "eligibility"],
    queryFn: () => getJson<EligibilityHistory>(`/api/v1/persons/${personId}/eligibility`),
  });

/**
 * The person's standing (GET /api/v1/persons/:id/eligibility, a logged read): eligible, not,
 * an appeal pending, revoked, or deceased; the latest screening's result with its reasons, and a
 * summary of the answers (question, answer or the officer's judgement); under it, the forms of
 * the screening and eligibility commands the reader may send.
 */
export function EligibilityStanding({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const history = useEligibility(personId);
  const reason = (r: string) => {
    const lane = messages.en.lane.reasons as Record<string, string>;
    if (r in lane) return t(`lane.reasons.${r as EligibilityReason}`);
    if (r in messages.en.standing.reasons) return t(`standing.reasons.${r as Extra}`);
    return r;
  };
  const shown = (a: Answer) => {
    if (a.judgement === "verified" || a.judgement === "not_verified")
      return t(`standing.judgements.${a.judgement}`);
    if (typeof a.answer === "boolean") return a.answer ? t("standing.yes") : t("standing.no");
    return <Entered>{typeof a.answer === "string" ? a.answer : "—"}</Entered>;
  };
  return (
    <section aria-labelledby="standing-title">
      <h2 id="standing-title">{t("standing.title")}</h2>
      <QueryState query={history}>
        {(h) => {
          const standing = standingOf(h);
          const last = latest(h.screenings);
          return (
            <>
              <p className={`notice ${standing === "eligible" ? "notice-ok" : "notice-warning"}`}>
                <strong>{t(`standing.standings.${standing}`)}</strong>
                {h.deceasedOn && ` ${t("standing.deceasedOn", { day: format.day(h.deceasedOn) })}`}
              </p>
              {last ? (
                <>
                  <dl className="facts">
                    <dt>{t("standing.screenedAt")}</dt>
                    <dd>{format.dateTime(last.screenedAt)}</dd>
                    <dt>{t("standing.result")}</dt>
                    <dd>
                      {last.status === "eligible" ? t("persons.eligible") : t("persons.notEligible")}
                      <ul>
                        {last.reasons.map((r) => (
                          <li key={r}>{reason(r)}</li>
                        ))}
                      </ul>
                    </dd>
                    <dt>{t("standing.verified")}</dt>
                    <dd>{format.number(last.verifiedCount)}</dd>
                    <dt>{t("standing.indications")}</dt>
                    <dd>
                      {last.indications.length === 0
                        ? t("standing.none")
                        : last.indications.map((c) => (
                            <span key={c}>
                              <Code>{c}</Code>{" "}
                            </span>
                          ))}
                    </dd>
                  </dl>
                  <DataTable<Answer>
                    caption={t("standing.answers", { n: format.number(last.answers.length) })}
                    rows={last.answers as Answer[]}
                    rowKey={(a) => String(a.questionId)}
                    columns={[
                      {
                        id: "question",
                        header: t("standing.question"),
                        cell: (a) => <Code>{String(a.questionId)}</Code>,
                      },
                      { id: "answer", header: t("standing.answer"), cell: shown },
                    ]}
                  />
                </>
              ) : (
                <p>{t("standing.notScreened")}</p>
              )}
              {h.appeals.length > 0 && (
                <DataTable
                  caption={t("standing.appeals")}
                  rows={h.appeals}
                  rowKey={(a) => a.appealId}
                  columns={[
                    {
                      id: "lodged",
                      header: t("standing.lodgedAt"),
                      cell: (a) => format.dateTime(a.lodgedAt),
                    },
                    {
                      id: "status",
                      header: t("standing.appealStatus"),
                      cell: (a) =>
                        a.status === "lodged" || a.status === "upheld" || a.status === "overturned"
                          ? t(`standing.appealStatuses.${a.status}`)
                          : a.status,
                    },
                    {
                      id: "decided",
                      header: t("standing.decidedAt"),
                      cell: (a) => (a.decidedAt ? format.dateTime(a.decidedAt) : "—"),
                    },
                  ]}
                />
              )}
              <EligibilityActions personId={personId} history={h} />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

/** Reasons a screening gives that a handover's eligibility does not (lane.reasons has the rest). */
type Extra = Exclude<ScreeningReason, EligibilityReason>;
