// Demobilisation cards: issued to a person in good standing, one active card per person; a card
// reported lost, damaged or stolen is replaced by a new number (the old one void), and a card
// can be revoked. The number is the ledger leaf of the event that issued it (card-number.ts), so
// the card is printed after the command is recorded and its date of issue is the recording's.

import { Problem } from "../problems.ts";
import { cardIssue, cardReissue, cardRevoke } from "../records/card.ts";
import { cardNumber } from "../rules/card-number.ts";
import { assertGoodStanding } from "../rules/person-standing.ts";
import { defineCommand, type RecordView } from "./command.ts";

const WHAT = "a demobilisation card";

async function getPerson(view: RecordView, personId: string, path: string) {
  const person = await view.findPerson(personId);
  if (!person)
    throw new Problem("reference.unknown", "There is no registered person with this id.", [
      { path, message: "unknown person" },
    ]);
  return person;
}

/** The card, which must be active: a replaced or revoked card is void and stays so. */
async function getActiveCard(view: RecordView, number: string) {
  const card = await view.findCard(number);
  if (!card)
    throw new Problem("reference.unknown", `There is no demobilisation card ${number}. Check the number.`, [
      { path: "payload.cardNumber", message: "unknown card" },
    ]);
  if (card.status !== "active")
    throw new Problem(
      "rule.violated",
      `Card ${number} is already ${card.status} and void; nothing more can be done to it. Act on the person's active card instead.`,
      [{ path: "payload.cardNumber", message: card.status }],
    );
  return card;
}

async function cardTarget(view: RecordView, number: string) {
  const card = await view.findCard(number);
  return card && view.findRecordPlace({ kind: "person", id: card.personId });
}

export const issueCard = defineCommand({
  type: "card.issue",
  event: "card.issued",
  payload: cardIssue,
  action: "card.issue",
  // A registrar issues cards to the people registered at their sites.
  target: (payload, view) => view.findRecordPlace({ kind: "person", id: payload.personId }),
  async decide(payload, view, env) {
    const person = await getPerson(view, payload.personId, "payload.personId");
    assertGoodStanding(person, WHAT, "payload.personId");
    const active = await view.findActiveCard(person.id);
    if (active)
      throw new Problem(
        "rule.violated",
        `The person already holds card ${active.cardNumber}: one active card per person. Reissue it if it was lost, damaged or stolen.`,
        [{ path: "payload.personId", message: "already holds an active card" }],
      );
    const number = cardNumber(env.seq);
    return {
      type: "card.issued",
      subjects: [
        { kind: "card", id: number },
        { kind: "person", id: person.id },
      ],
      data: {
        cardNumber: number,
        personId: person.id,
        siteId: person.siteId,
        issuedAt: env.now,
        issuedBy: env.actor.userId,
      },
    };
  },
});

export const reissueCard = defineCommand({
  type: "card.reissue",
  event: "card.reissued",
  payload: cardReissue,
  action: "card.reissue",
  target: (payload, view) => cardTarget(view, payload.cardNumber),
  async decide(payload, view, env) {
    const old = await getActiveCard(view, payload.cardNumber);
    const person = await getPerson(view, old.personId, "payload.cardNumber");
    // A new card is a new benefit: the person must still be in good standing.
    assertGoodStanding(person, WHAT, "payload.cardNumber");
    const number = cardNumber(env.seq);
    return {
      type: "card.reissued",
      subjects: [
        { kind: "card", id: number },
        { kind: "card", id: old.cardNumber },
        { kind: "person", id: person.id },
      ],
      data: {
        cardNumber: number,
        replaces: old.cardNumber,
        reason: payload.reason,
        note: payload.note,
        personId: person.id,
        siteId: person.siteId,
        issuedAt: env.now,
        issuedBy: env.actor.userId,
      },
    };
  },
});

export const revokeCard = defineCommand({
  type: "card.revoke",
  event: "card.revoked",
  payload: cardRevoke,
  action: "card.revoke",
  target: (payload, view) => cardTarget(view, payload.cardNumber),
  async decide(payload, view, env) {
    const card = await getActiveCard(view, payload.cardNumber);
    return {
      type: "card.revoked",
      subjects: [
        { kind: "card", id: card.cardNumber },
        { kind: "person", id: card.personId },
      ],
      data: {
        cardNumber: card.cardNumber,
        personId: card.personId,
        reason: payload.reason,
        revokedAt: env.now,
        revokedBy: env.actor.userId,
      },
    };
  },
});
