import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { actorOf, createUser } from "../../src/access/accounts.ts";
import { newPassword } from "../../src/crypto/index.ts";
import { demoNationalId } from "../../src/demo/demo-programme.ts";
import type { Store } from "../../src/store/database.ts";
import * as t from "../../src/store/schema.ts";
import { executeCommand } from "../../src/write-path/execute.ts";

/**
 * One distinctive value for each kind of personal text sealed beyond the person's name and ids:
 * a dump must contain none of them. Each is written through the write path by `recordSealedKinds`.
 */
export const sealedKindNeedles = {
  screeningAnswer: "Zubaydiyah-checkpoint-answer",
  screeningEvidence: "Qasr-witness-statement-41",
  screeningNotes: "limps-on-left-leg-screening-note",
  registrationScreening: "brother-detained-Hilla",
  vettingFlag: "wanted_by_militia_rivals",
  revocationReason: "sold-card-in-Sadr-market",
  appellant: "Umm-Karrar-Tamimi",
  appealGrounds: "card-was-stolen-at-Bab-al-Sharji",
  appealEvidence: "police-report-7731-Karrada",
  decisionReason: "theft-confirmed-by-Karrada-station",
  offerNote: "fears-return-to-Jurf-al-Sakhar",
  unit: "9th-Brigade-Tarmiyah-battalion",
  serviceNumber: "FP-8837261",
  followUpNote: "moved-in-with-cousin-Zayouna",
  trainingCourse: "Welding-at-Nahrawan-workshop",
  declineReason: "family-objects-to-Nahrawan",
  handoverNotes: "handed-in-behind-Shorja-mosque",
  // A role such as a unit's commander points at one person as surely as a name.
  personRole: "commander-of-Tarmiyah-checkpoint",
} as const;

export const sealedKindNeedleList = (): string[] => Object.values(sealedKindNeedles);

async function send(store: Store, actor: ReturnType<typeof actorOf>, type: string, payload: unknown) {
  const result = await executeCommand(store, { commandId: randomUUID(), type, payload }, actor);
  return result.data as Record<string, unknown>;
}

/**
 * On top of the demo programme: a screening, a revocation, an appeal and its decision, a
 * security-forces placement with a follow-up, a declined civilian offer, a handover with notes
 * and a registration with screening answers and vetting flags, each carrying one needle.
 */
export async function recordSealedKinds(store: Store): Promise<void> {
  const n = sealedKindNeedles;
  const admin = actorOf(
    await createUser(store, {
      username: "sealed-kinds",
      displayName: "Sealed kinds",
      role: "admin",
      password: newPassword(),
    }),
  );
  const [first, second] = await store.db
    .select({ id: t.persons.id, siteId: t.persons.siteId, groupId: t.persons.groupId })
    .from(t.persons)
    .orderBy(t.persons.registeredSeq);
  // The demo's programme, with a screening question whose answer is free text.
  const [programme] = await store.db.select({ config: t.programme.config }).from(t.programme);
  await send(store, admin, "programme.configure", {
    ...(programme!.config as Record<string, unknown>),
    screening: {
      questions: [
        {
          id: "checkpoint",
          text: { ar: "أين كانت نقطة التفتيش؟", en: "Where was the checkpoint?" },
          verifiedBy: { kind: "officer_judgement" },
        },
      ],
    },
  });
  const now = new Date().toISOString();
  const today = now.slice(0, 10);
  await send(store, admin, "screening.record", {
    personId: first!.id,
    screenedAt: now,
    answers: [
      {
        questionId: "checkpoint",
        answer: n.screeningAnswer,
        judgement: "verified",
        evidence: [n.screeningEvidence],
      },
    ],
    notes: n.screeningNotes,
  });
  await send(store, admin, "eligibility.revoke", {
    personId: first!.id,
    revokedAt: now,
    reason: n.revocationReason,
  });
  const { appealId } = await send(store, admin, "eligibility.appeal", {
    personId: first!.id,
    lodgedAt: now,
    lodgedBy: { kind: "representative", name: n.appellant, relationship: "mother" },
    grounds: n.appealGrounds,
    evidence: [n.appealEvidence],
  });
  await send(store, admin, "eligibility.decide_appeal", {
    appealId,
    outcome: "overturned",
    decidedAt: now,
    reason: n.decisionReason,
  });
  const { pathwayId } = await send(store, admin, "pathway.offer", {
    personId: first!.id,
    kind: "security_forces",
    offeredOn: today,
    force: "Federal Police",
    unit: n.unit,
    note: n.offerNote,
  });
  await send(store, admin, "pathway.respond", { pathwayId, response: "accept", respondedOn: today });
  await send(store, admin, "pathway.vet", {
    pathwayId,
    result: "cleared",
    vettedOn: today,
    reference: "VET-2026-001",
  });
  await send(store, admin, "pathway.place", { pathwayId, placedOn: today, serviceNumber: n.serviceNumber });
  await send(store, admin, "pathway.follow_up", {
    pathwayId,
    followedUpOn: today,
    status: "still_placed",
    note: n.followUpNote,
  });
  const declined = await send(store, admin, "pathway.offer", {
    personId: second!.id,
    kind: "civilian",
    offeredOn: today,
    trainingCourse: n.trainingCourse,
  });
  await send(store, admin, "pathway.respond", {
    pathwayId: declined.pathwayId,
    response: "decline",
    respondedOn: today,
    reason: n.declineReason,
  });
  const { personId } = await send(store, admin, "person.register", {
    siteId: first!.siteId,
    kind: "associated_member",
    name: { latin: { given: "Sealed", family: "Kinds" } },
    birth: { year: 1994 },
    sex: "female",
    governorate: "IQ-BG",
    nationalId: demoNationalId(99),
    listedByGroup: false,
    screening: { family_situation: n.registrationScreening },
    vettingFlags: [n.vettingFlag],
    role: n.personRole,
    consent: { given: true, recordedOn: today },
  });
  await send(store, admin, "handover.record", {
    siteId: first!.siteId,
    handedAt: now,
    verifyingOfficer: { name: "Demo Observer", affiliation: "Monitoring mission" },
    from: { kind: "person", personId },
    weapons: [
      {
        category: "pistol",
        type: "pistol",
        make: "Glock",
        model: "17",
        calibre: "9x19mm",
        serial: "SEALED-KINDS-1",
        condition: "good",
        serviceable: true,
      },
    ],
    ammunition: [],
    notes: n.handoverNotes,
  });
  const [placed] = await store.db
    .select({ state: t.pathways.state })
    .from(t.pathways)
    .where(eq(t.pathways.id, pathwayId as string));
  if (placed?.state !== "placed") throw new Error("the placement was not recorded");
}
