import type { CardRecord, CardStatus, RecordView } from "@armsledger/core";
import { and, eq } from "drizzle-orm";
import type { Tx } from "../store/database.ts";
import * as t from "../store/schema.ts";

type CardView = Pick<RecordView, "findCard" | "findActiveCard">;

const columns = {
  cardNumber: t.demobilisationCards.number,
  personId: t.demobilisationCards.personId,
  status: t.demobilisationCards.status,
  issuedAt: t.demobilisationCards.issuedAt,
};

function record(row: { cardNumber: string; personId: string; status: string; issuedAt: string }): CardRecord {
  return { ...row, status: row.status as CardStatus, issuedAt: new Date(row.issuedAt).toISOString() };
}

/** The card rules' window on demobilisation cards (part of the record view). */
export function sqlCardView(tx: Tx): CardView {
  return {
    async findCard(cardNumber) {
      const [row] = await tx
        .select(columns)
        .from(t.demobilisationCards)
        .where(eq(t.demobilisationCards.number, cardNumber));
      return row && record(row);
    },
    async findActiveCard(personId) {
      const [row] = await tx
        .select(columns)
        .from(t.demobilisationCards)
        .where(and(eq(t.demobilisationCards.personId, personId), eq(t.demobilisationCards.status, "active")));
      return row && record(row);
    },
  };
}
