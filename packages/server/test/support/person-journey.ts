import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { subjectIndex } from "../../src/crypto/private-part.ts";
import * as t from "../../src/store/schema.ts";
import type { Api } from "../api/support.ts";
import { nameNeedles } from "../crypto/personal-needles.ts";
import { handoverPayload, rifle } from "./fixtures.ts";

// One person taken through every kind of record the system can hold about a person, through the
// HTTP API (the real write path): registration with a photo uploaded and a national id (held for
// duplicate review, then dismissed), a handover, a screening, cards issued, reissued and revoked,
// two pathways through every stage, a payout account, a payment recorded and a payment list's line,
// a line in their group's roster, a revocation, an appeal and its decision, a correction, and the
// record of a death. The purge tests purge them and look for what is left.

const today = () => new Date().toISOString().slice(0, 10);
const now = () => new Date().toISOString();

/** Every personal value the journey gives the person, each distinctive enough to be searched for. */
export const journeyValues = {
  name: {
    arabic: { given: "كاظم", father: "جواد", grandfather: "عبد الحسين", family: "الربيعي" },
    latin: { given: "Kadhim", father: "Jawad", grandfather: "Abd al-Hussein", family: "al-Rubaie" },
  },
  motherName: { arabic: "زهرة", latin: "Zahra" },
  correctedMotherName: { arabic: "زهراء" },
  birthDate: "1985-03-04",
  nationalId: "198503041234",
  role: "deputy-commander-at-Tarmiyah-checkpoint",
  correctedRole: "commander-at-Tarmiyah-checkpoint",
  handoverNotes: "Came-with-his-cousin-Karim",
  screeningNotes: "Limps-on-the-left-leg",
  cardNote: "Lost-at-the-Shorja-market",
  cardRevocation: "Sold-at-the-Sadr-market",
  trainingCourse: "Welding-at-Karkh",
  offerNote: "fears-the-road-to-Tarmiyah",
  placement: "Welders-cooperative-Karkh",
  followUpNote: "Moved-in-with-his-cousin",
  leavingNote: "Went-back-to-Tarmiyah",
  unit: "9th-Brigade-Tarmiyah",
  serviceNumber: "FP-JRN-0001",
  phone: "+9647707654321",
  holder: "Umm-Kadhim-wallet",
  paymentNote: "Paid-to-his-wife",
  revocation: "Seen-at-a-checkpoint-of-a-group-still-fighting",
  appellant: "Umm-Kadhim-al-Rubaie",
  appealGrounds: "fetching-his-brother-at-the-checkpoint",
  appealEvidence: "Statement-of-the-mukhtar-of-Tarmiyah",
  appealDecision: "The-mukhtar-confirmed-it",
  deathSource: "Certificate-of-the-Tarmiyah-hospital",
  memberNumber: "RUB-0042",
} as const;

/** The photo's bytes: a real PNG (its magic bytes are what the upload checks) made unique. */
export const journeyPhoto = Buffer.concat([
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  ),
  Buffer.from("Kadhim-journey-photo"),
]);
export const journeyPhotoHash = createHash("sha256").update(journeyPhoto).digest("hex");

/** The near-copy registered first, which opens the person's duplicate review: their Latin name alone. */
const nearCopyName = {
  latin: {
    given: journeyValues.name.latin.given,
    father: journeyValues.name.latin.father,
    family: journeyValues.name.latin.family,
  },
};

/**
 * What must not be found once the person is purged: every part of their name in both scripts, the
 * folded and skeleton forms the name matching makes of them, their mothers' names, and every other
 * value above (the national id, the phone, the photo's hash…); but what the near-copy, another
 * person who stays, holds too (their shared Latin name).
 */
export function journeyNeedles(): string[] {
  const v = journeyValues;
  const needles = new Set<string>([
    ...nameNeedles({ name: v.name, motherName: v.motherName }),
    ...nameNeedles({ name: v.name, motherName: v.correctedMotherName }),
    journeyPhotoHash,
  ]);
  for (const [key, value] of Object.entries(v))
    if (typeof value === "string" && key !== "birthDate") needles.add(value);
  for (const shared of nameNeedles({ name: nearCopyName })) needles.delete(shared);
  return [...needles];
}

export interface Journey {
  personId: string;
  /** The near-copy registered first (another person, kept): the review matched it. */
  otherPersonId: string;
  /** The types of the events whose private part names the person (by the keyed subject index). */
  types: Set<string>;
  pathwayIds: string[];
  paymentListId: string;
  cardNumber: string;
}

/**
 * The journey on a seeded API (`startApi({ seed: true })`). The near-copy that opens the review
 * carries the person's Latin name only (no Arabic, no mother, no id): what stays of it after the
 * purge is the other person's, so the needles exclude it.
 */
export async function personThroughEverything(api: Api): Promise<Journey> {
  const v = journeyValues;
  const ok = (type: string, payload: unknown) => api.ok("admin", type, payload);
  const upload = await api.send("registrar", {
    method: "POST",
    url: "/api/v1/files",
    headers: { "content-type": "image/png" },
    payload: journeyPhoto,
  });
  expect(upload.statusCode, upload.body).toBe(201);
  const base = {
    siteId: api.seed.siteA,
    kind: "combatant",
    birth: { date: v.birthDate },
    sex: "male",
    governorate: "IQ-BG",
    groupId: api.seed.groupId,
    listedByGroup: true,
    consent: { given: true, recordedOn: today() },
  };
  const other = await api.ok("registrar", "person.register", {
    ...base,
    name: nearCopyName,
  });
  // Registered by a registrar: another officer reviews. Held for review (the near-copy), dismissed.
  const registered = await api.post("registrar", "person.register", {
    ...base,
    name: v.name,
    motherName: v.motherName,
    nationalId: v.nationalId,
    photo: journeyPhotoHash,
    role: v.role,
  });
  expect(registered.statusCode, registered.body).toBe(200);
  const personId = registered.json().data.personId as string;
  const registeredSeq = registered.json().seq as number;
  const [review] = await api.store.db
    .select({ status: t.duplicateReviews.status })
    .from(t.duplicateReviews)
    .where(eq(t.duplicateReviews.personId, personId));
  expect(review?.status).toBe("pending");
  await ok("duplicate.dismiss", {
    personId,
    reason: "A brother, not the same man: two identity cards seen.",
  });
  await ok("handover.record", {
    ...handoverPayload(api.seed.siteA, personId, [rifle("PRG-JRN-1")]),
    notes: v.handoverNotes,
  });
  await ok("screening.record", { personId, screenedAt: now(), answers: [], notes: v.screeningNotes });
  const { cardNumber } = await ok("card.issue", { personId });
  const reissued = await ok("card.reissue", { cardNumber, reason: "lost", note: v.cardNote });
  await ok("card.revoke", { cardNumber: reissued.cardNumber, reason: v.cardRevocation });
  const civilian = (
    await ok("pathway.offer", {
      personId,
      kind: "civilian",
      offeredOn: today(),
      trainingCourse: v.trainingCourse,
      note: v.offerNote,
    })
  ).pathwayId as string;
  await ok("pathway.respond", { pathwayId: civilian, response: "accept", respondedOn: today() });
  await ok("pathway.place", { pathwayId: civilian, placedOn: today(), placement: v.placement });
  await ok("pathway.follow_up", {
    pathwayId: civilian,
    followedUpOn: today(),
    status: "still_placed",
    note: v.followUpNote,
  });
  await ok("pathway.leave", {
    pathwayId: civilian,
    leftOn: today(),
    reason: "resigned",
    note: v.leavingNote,
  });
  const police = (
    await ok("pathway.offer", {
      personId,
      kind: "security_forces",
      offeredOn: today(),
      force: "Federal Police",
      unit: v.unit,
    })
  ).pathwayId as string;
  await ok("pathway.respond", { pathwayId: police, response: "accept", respondedOn: today() });
  await ok("pathway.vet", {
    pathwayId: police,
    result: "cleared",
    vettedOn: today(),
    reference: "VET-JRN-1",
  });
  await ok("pathway.place", { pathwayId: police, placedOn: today(), serviceNumber: v.serviceNumber });
  const scheduleId = crypto.randomUUID();
  await ok("payment.schedule_set", {
    scheduleId,
    name: "Reinsertion stipend",
    amount: { minor: 150_000, currency: "IQD" },
    periodLength: "monthly",
    firstPeriod: "2026-01",
    lastPeriod: "2026-12",
    channel: "mobile_money",
  });
  await ok("payment.account_set", { personId, channel: "mobile_money", account: v.phone, holder: v.holder });
  await ok("payment.record", {
    scheduleId,
    period: "2026-03",
    personId,
    paidOn: today(),
    channel: "cash",
    note: v.paymentNote,
  });
  // A list for the next month: their line carries their account and its holder.
  const list = await ok("payment.list_prepare", { scheduleId, period: "2026-04" });
  const [line] = await api.store.db
    .select({ reference: t.paymentLines.reference })
    .from(t.paymentLines)
    .where(eq(t.paymentLines.listId, list.listId as string));
  expect(line).toBeDefined();
  // Their group's list names them (in Latin letters), beside a member who is not them.
  await ok("roster.submit", {
    groupId: api.seed.groupId,
    submittedOn: today(),
    entries: [
      {
        memberNumber: v.memberNumber,
        name: { latin: v.name.latin },
        motherName: { latin: v.motherName.latin },
        birthYear: 1985,
        sex: "male",
        governorate: "IQ-BG",
      },
      {
        memberNumber: "RUB-0043",
        name: { latin: { given: "Saleem", father: "Nouri", family: "al-Obaidi" } },
        birthYear: 1990,
        sex: "male",
        governorate: "IQ-BG",
      },
    ],
  });
  await ok("eligibility.revoke", { personId, revokedAt: now(), reason: v.revocation });
  const { appealId } = await ok("eligibility.appeal", {
    personId,
    lodgedAt: now(),
    lodgedBy: { kind: "representative", name: v.appellant, relationship: "mother" },
    grounds: v.appealGrounds,
    evidence: [v.appealEvidence],
  });
  await ok("eligibility.decide_appeal", {
    appealId,
    outcome: "overturned",
    decidedAt: now(),
    reason: v.appealDecision,
  });
  await ok("record.correct", {
    kind: "person",
    id: personId,
    corrects: registeredSeq,
    changes: { role: v.correctedRole, motherName: v.correctedMotherName },
    reason: "Misread at the desk.",
  });
  await ok("person.record_death", { personId, diedOn: today(), source: v.deathSource });
  const keys = await api.store.personal.keys();
  const events = await api.store.db
    .select({ type: t.events.type })
    .from(t.events)
    .innerJoin(t.eventPrivate, eq(t.eventPrivate.seq, t.events.seq))
    .where(eq(t.eventPrivate.subjectIndex, subjectIndex(keys, personId)));
  return {
    personId,
    otherPersonId: other.personId as string,
    types: new Set(events.map((e) => e.type)),
    pathwayIds: [civilian, police],
    paymentListId: list.listId as string,
    cardNumber: cardNumber as string,
  };
}

/** The reads about a person and the reports that count them: after a purge each must answer (no
 * 5xx) with nothing of theirs. */
export function readsAbout(personId: string, paymentListId: string, groupId: string): string[] {
  return [
    `/api/v1/persons/${personId}`,
    `/api/v1/persons/${personId}/pathways`,
    `/api/v1/persons/${personId}/eligibility`,
    `/api/v1/persons/${personId}/cards`,
    "/api/v1/pathways/follow-ups",
    "/api/v1/reports/pathways",
    "/api/v1/reports/payments",
    "/api/v1/reports/eligibility",
    "/api/v1/payment-lists",
    `/api/v1/payment-lists/${paymentListId}`,
    `/api/v1/groups/${groupId}/roster-comparison`,
    `/api/v1/groups/${groupId}/roster-comparison/entries`,
    "/api/v1/duplicate-reviews?status=dismissed",
  ];
}
