import { type CardStatus, cardReissueReasons, cardStatuses, roleMay } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { useAccount } from "../session/session.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code } from "../ui/Text.tsx";

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

/**
 * The person's demobilisation cards, newest first: the active one (with a link to print it, for
 * the roles that may: `card.print`) and the void ones it replaced, with why.
 */
export function Cards({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const role = useAccount().data?.role;
  const mayPrint = role !== undefined && roleMay(role, "card.print");
  const cards = useQuery({
    queryKey: ["persons", personId, "cards"],
    queryFn: () => getJson<{ items: Card[] }>(`/api/v1/persons/${personId}/cards`),
  });
  return (
    <QueryState query={cards}>
      {({ items }) =>
        items.length === 0 ? (
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
              ...(mayPrint
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
            ]}
          />
        )
      }
    </QueryState>
  );
}
