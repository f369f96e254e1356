import type { CardReissueReason } from "@armsledger/core";
import { eq } from "drizzle-orm";
import * as t from "../store/schema.ts";
import { type Projector, touch } from "./recorded-event.ts";

// Demobilisation cards. A reissue voids the old number and issues the new one in one event, so
// there is never a moment with two active cards or none.

interface Issued {
  cardNumber: string;
  personId: string;
  siteId: string;
  issuedAt: string;
  replaces?: string;
  reason?: CardReissueReason;
}

async function insertCard(tx: Parameters<Projector>[0], seq: number, d: Issued) {
  await tx.insert(t.demobilisationCards).values({
    number: d.cardNumber,
    personId: d.personId,
    siteId: d.siteId,
    status: "active",
    issuedAt: d.issuedAt,
    issuedSeq: seq,
    replaces: d.replaces ?? null,
    reissueReason: d.reason ?? null,
    updatedSeq: seq,
  });
}

export const cardIssued: Projector = async (tx, e) => {
  const d = e.data as unknown as Issued;
  await insertCard(tx, e.seq, d);
  await touch(tx, e.seq, [
    { kind: "card", id: d.cardNumber },
    { kind: "person", id: d.personId },
  ]);
};

export const cardReissued: Projector = async (tx, e) => {
  const d = e.data as unknown as Issued & { replaces: string };
  await tx
    .update(t.demobilisationCards)
    .set({ status: "replaced", endedAt: d.issuedAt, replacedBy: d.cardNumber, updatedSeq: e.seq })
    .where(eq(t.demobilisationCards.number, d.replaces));
  await insertCard(tx, e.seq, d);
  await touch(tx, e.seq, [
    { kind: "card", id: d.cardNumber },
    { kind: "card", id: d.replaces },
    { kind: "person", id: d.personId },
  ]);
};

export const cardRevoked: Projector = async (tx, e) => {
  const d = e.data as unknown as { cardNumber: string; personId: string; revokedAt: string };
  await tx
    .update(t.demobilisationCards)
    .set({ status: "revoked", endedAt: d.revokedAt, updatedSeq: e.seq })
    .where(eq(t.demobilisationCards.number, d.cardNumber));
  await touch(tx, e.seq, [
    { kind: "card", id: d.cardNumber },
    { kind: "person", id: d.personId },
  ]);
};
