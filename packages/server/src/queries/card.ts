import {
  type Actor,
  type CardStatus,
  cardCheckValue,
  inScope,
  normaliseCardNumber,
  Problem,
} from "@armsledger/core";
import { desc, eq } from "drizzle-orm";
import type { CardData } from "../card/card-pdf.ts";
import { openRow } from "../crypto/personal-columns.ts";
import type { PrintedName } from "../documents/person-name.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

/** The canonical number of a card number as typed in a URL; a clear 400 when it cannot be one. */
export function cardNumberOfParam(text: string): string {
  const number = normaliseCardNumber(text);
  if (!number)
    throw new Problem(
      "request.invalid",
      `${JSON.stringify(text)} is not a card number: it should look like DC-0000042-7, and its last digit is a check digit. Check the digits.`,
      [{ path: "params.number", message: "not a card number" }],
    );
  return number;
}

function notFound(number: string): never {
  throw new Problem(
    "resource.not-found",
    `There is no demobilisation card ${number}, or it is outside your scope.`,
  );
}

async function findCardRow(store: Store, number: string) {
  const [card] = await store.db
    .select({
      number: t.demobilisationCards.number,
      personId: t.demobilisationCards.personId,
      status: t.demobilisationCards.status,
      issuedAt: t.demobilisationCards.issuedAt,
      issuedSeq: t.demobilisationCards.issuedSeq,
      endedAt: t.demobilisationCards.endedAt,
      leafHash: t.events.leafHash,
    })
    .from(t.demobilisationCards)
    .innerJoin(t.events, eq(t.events.seq, t.demobilisationCards.issuedSeq))
    .where(eq(t.demobilisationCards.number, number));
  return card;
}

export interface CardStatusAnswer {
  cardNumber: string;
  status: CardStatus;
  /** Only an active card is valid: a replaced or revoked one is void. */
  valid: boolean;
  issuedOn: string;
  endedOn: string | null;
  /** Whether the check value read from the card's QR code is this card's; absent when none was given. */
  checkMatches?: boolean;
}

const day = (at: string) => new Date(at).toISOString().slice(0, 10);

/**
 * What a card's number says about it, for whoever is shown the card: its status and dates, and
 * nothing the card does not already show. Not the holder, not the site, and not the number that
 * replaced it (the old card may be in a thief's hands).
 */
export async function getCardStatus(store: Store, number: string, check?: string): Promise<CardStatusAnswer> {
  const card = await findCardRow(store, number);
  if (!card) notFound(number);
  const status = card.status as CardStatus;
  return {
    cardNumber: card.number,
    status,
    valid: status === "active",
    issuedOn: day(card.issuedAt),
    endedOn: card.endedAt ? day(card.endedAt) : null,
    ...(check === undefined ? {} : { checkMatches: cardCheckValue(card.leafHash) === check }),
  };
}

/** Everything the printed card shows — and nothing more: never the armed group. */
export async function getCardPrintData(store: Store, actor: Actor, number: string): Promise<CardData> {
  const card = await findCardRow(store, number);
  const [person] = card
    ? await store.db
        .select({
          siteId: t.persons.siteId,
          governorate: t.persons.governorate,
          name: t.persons.name,
          photo: t.persons.photo,
        })
        .from(t.persons)
        .where(eq(t.persons.id, card.personId))
    : [];
  // Out of scope answers exactly like absent, as for a person's record.
  if (!card || !person || !inScope(actor.scope, { siteId: person.siteId, governorate: person.governorate }))
    notFound(number);
  if (card.status !== "active")
    throw new Problem(
      "rule.violated",
      `Card ${number} is ${card.status} and void: it cannot be printed. Print the holder's active card.`,
      [{ path: "params.number", message: card.status }],
    );
  const [programme] = await store.db.select({ config: t.programme.config }).from(t.programme);
  const programmeName = (programme?.config as { name?: { ar: string; en: string } } | undefined)?.name ?? {
    ar: "",
    en: "",
  };
  const keys = await store.personal.keys();
  return {
    cardNumber: card.number,
    check: cardCheckValue(card.leafHash),
    issuedAt: new Date(card.issuedAt).toISOString(),
    holder: (() => {
      const opened = openRow(keys, "persons", card.personId, person);
      return { name: opened.name as PrintedName, photo: opened.photo ?? undefined };
    })(),
    programmeName,
  };
}

/** A person's card as their record shows it: the number, its status and dates, what it replaced. */
export interface PersonCard {
  cardNumber: string;
  status: CardStatus;
  issuedOn: string;
  endedOn: string | null;
  replaces: string | null;
  reissueReason: string | null;
}

/**
 * The cards issued to a person, newest first, in one query (the person's row carries the scope):
 * a person outside the reader's scope answers the same 404 as one that does not exist.
 */
export async function listPersonCards(store: Store, actor: Actor, personId: string): Promise<PersonCard[]> {
  const c = t.demobilisationCards;
  const rows = await store.db
    .select({
      siteId: t.persons.siteId,
      governorate: t.persons.governorate,
      number: c.number,
      status: c.status,
      issuedAt: c.issuedAt,
      endedAt: c.endedAt,
      replaces: c.replaces,
      reissueReason: c.reissueReason,
    })
    .from(t.persons)
    .leftJoin(c, eq(c.personId, t.persons.id))
    .where(eq(t.persons.id, personId))
    .orderBy(desc(c.issuedSeq));
  const person = rows[0];
  if (!person || !inScope(actor.scope, { siteId: person.siteId, governorate: person.governorate }))
    throw new Problem("resource.not-found", "There is no person with this id, or it is outside your scope.");
  return rows.flatMap((r) =>
    r.number && r.status && r.issuedAt
      ? [
          {
            cardNumber: r.number,
            status: r.status as CardStatus,
            issuedOn: day(r.issuedAt),
            endedOn: r.endedAt ? day(r.endedAt) : null,
            replaces: r.replaces,
            reissueReason: r.reissueReason,
          },
        ]
      : [],
  );
}
