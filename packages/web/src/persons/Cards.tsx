import {
  type CardStatus,
  cardIssue,
  cardReissue,
  cardReissueReasons,
  cardRevoke,
  cardStatuses,
  roleMay,
} from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { useAccount } from "../session/session.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code } from "../ui/Text.tsx";
import { personRefresh, ShortCommandForm } from "./record-form.tsx";
import { standingOf, useEligibility } from "./Standing.tsx";

/** A card as GET /api/v1/persons/:id/cards gives it. */
interface Card {
  cardNumber: string;
  status: CardStatus;
  issuedOn: string;
  endedOn: string | null;
  replaces: string | null;
  reissueReason: string | null;
}

const isOneOf = <T extends string>(list: readonly T[], s: string | null): s is T =>
  s !== null && (list as readonly string[]).includes(s);

/** What can be done to a person's cards, each one command (docs/cards.md). */
type CardStep = "issue" | "reissue" | "revoke";

/**
 * The person's demobilisation cards, newest first: the active one (with a link to print it, for
 * the roles that may: `card.print`) and the void ones it replaced, with why. A person in good
 * standing without an active card may be issued one; the active card may be reissued (lost,
 * damaged, stolen) or revoked — each only for the roles core's policy lets send the command.
 */
export function Cards({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const role = useAccount().data?.role;
  const may = (action: "print" | CardStep) => role !== undefined && roleMay(role, `card.${action}`);
  const [open, setOpen] = useState<{ step: CardStep; card?: string } | undefined>();
  const close = () => setOpen(undefined);
  const cards = useQuery({
    queryKey: ["persons", personId, "cards"],
    queryFn: () => getJson<{ items: Card[] }>(`/api/v1/persons/${personId}/cards`),
  });
  const history = useEligibility(personId);
  const inGoodStanding = history.data !== undefined && standingOf(history.data) === "eligible";
  const form = (step: CardStep, card?: string) => ({
    id: `card-${step}`,
    title: t(`cards.steps.${step}`, { number: card }),
    submitLabel: t(`cards.submit.${step}`),
    type: `card.${step}`,
    refresh: personRefresh(personId),
    onClose: close,
  });
  return (
    <QueryState query={cards}>
      {({ items }) => (
        <>
          {items.length === 0 ? (
            <section aria-labelledby="cards-title">
              <h2 id="cards-title">{t("cards.title")}</h2>
              <p>{t("cards.none")}</p>
            </section>
          ) : (
            <DataTable<Card>
              caption={t("cards.title")}
              rows={items}
              rowKey={(c) => c.cardNumber}
              columns={[
                { id: "number", header: t("cards.number"), cell: (c) => <Code>{c.cardNumber}</Code> },
                {
                  id: "status",
                  header: t("cards.status"),
                  cell: (c) => (isOneOf(cardStatuses, c.status) ? t(`cards.statuses.${c.status}`) : c.status),
                },
                { id: "issued", header: t("cards.issuedOn"), cell: (c) => format.day(c.issuedOn) },
                {
                  id: "ended",
                  header: t("cards.endedOn"),
                  cell: (c) => (c.endedOn ? format.day(c.endedOn) : "—"),
                },
                {
                  id: "replaces",
                  header: t("cards.replaces"),
                  cell: (c) =>
                    c.replaces ? (
                      <>
                        <Code>{c.replaces}</Code>
                        {isOneOf(cardReissueReasons, c.reissueReason) &&
                          ` (${t(`cards.reasons.${c.reissueReason}`)})`}
                      </>
                    ) : (
                      "—"
                    ),
                },
                ...(may("print")
                  ? [
                      {
                        id: "print",
                        header: t("cards.print"),
                        cell: (c: Card) =>
                          c.status === "active" ? (
                            <a href={`/api/v1/cards/${encodeURIComponent(c.cardNumber)}/pdf`}>
                              {t("cards.printOne", { number: c.cardNumber })}
                            </a>
                          ) : (
                            "—"
                          ),
                      },
                    ]
                  : []),
                ...(may("reissue") || may("revoke")
                  ? [
                      {
                        id: "actions",
                        header: t("groups.actions"),
                        cell: (c: Card) =>
                          c.status === "active" &&
                          (["reissue", "revoke"] as const).filter(may).map((step) => (
                            <button
                              key={step}
                              type="button"
                              className="secondary"
                              onClick={() => setOpen({ step, card: c.cardNumber })}
                            >
                              {t(`cards.steps.${step}`, { number: c.cardNumber })}
                            </button>
                          )),
                      },
                    ]
                  : []),
              ]}
            />
          )}
          {!open && may("issue") && inGoodStanding && !items.some((c) => c.status === "active") && (
            <div className="actions">
              <button type="button" onClick={() => setOpen({ step: "issue" })}>
                {t("cards.steps.issue")}
              </button>
            </div>
          )}
          {open?.step === "issue" && (
            <ShortCommandForm
              {...form("issue")}
              schema={cardIssue}
              fixed={{ personId }}
              notice={t("cards.issueNotice")}
            />
          )}
          {open?.step === "reissue" && open.card && (
            <ShortCommandForm
              key={open.card}
              {...form("reissue", open.card)}
              schema={cardReissue}
              fixed={{ cardNumber: open.card }}
              choice={{
                field: "reason",
                label: t("cards.reissueReason"),
                options: cardReissueReasons,
                optionLabel: (r) => t(`cards.reissueReasons.${r}`),
              }}
              text={{ field: "note", label: t("groups.note") }}
            />
          )}
          {open?.step === "revoke" && open.card && (
            <ShortCommandForm
              key={open.card}
              {...form("revoke", open.card)}
              schema={cardRevoke}
              fixed={{ cardNumber: open.card }}
              notice={t("cards.revokeNotice")}
              text={{ field: "reason", label: t("cards.revokeReason") }}
            />
          )}
        </>
      )}
    </QueryState>
  );
}
