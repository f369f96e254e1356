import { z } from "zod";
import { Problem } from "../problems.ts";
import { ammunitionLot } from "../records/ammunition.ts";
import { keyPartNames } from "../records/custody.ts";
import { armedGroup } from "../records/group.ts";
import { person } from "../records/person.ts";
import { site } from "../records/site.ts";
import { freeText } from "../records/text.ts";
import { weaponItemFields } from "../records/weapon.ts";
import { assertSerialNotPlaceholder } from "../rules/serial.ts";
import { defineCommand, type RecordView } from "./command.ts";
import { recheckCorrectedPerson } from "./correction-duplicates.ts";

/**
 * Changes to some fields of a record, validated by that record's own field schemas. Only the keys
 * the caller sent are kept (a plain `.partial()` would fill in defaults the caller never chose).
 */
function changesTo<T extends z.ZodObject>(fields: T) {
  const partial = fields.partial();
  return z.record(z.string(), z.unknown()).transform((raw, ctx) => {
    const parsed = partial.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: undefined } as never);
      return z.NEVER;
    }
    const kept = Object.fromEntries(Object.entries(parsed.data).filter(([k]) => k in raw));
    if (Object.keys(kept).length === 0) {
      ctx.addIssue({ code: "custom", message: "name at least one field to correct" });
      return z.NEVER;
    }
    return kept;
  });
}

const correctable = {
  person: changesTo(
    person.pick({
      kind: true,
      name: true,
      motherName: true,
      birth: true,
      sex: true,
      governorate: true,
      groupId: true,
      role: true,
      nationalId: true,
      photo: true,
      listedByGroup: true,
    }),
  ),
  weapon: changesTo(
    weaponItemFields.pick({
      category: true,
      type: true,
      make: true,
      model: true,
      calibre: true,
      serial: true,
      noReadableSerial: true,
      countryOfManufacture: true,
      yearOfManufacture: true,
      markings: true,
      alteredMarks: true,
      condition: true,
      serviceable: true,
      photos: true,
      listCheck: true,
    }),
  ),
  ammunition: changesTo(
    ammunitionLot.pick({
      kind: true,
      calibreOrType: true,
      quantity: true,
      unit: true,
      lotMark: true,
      headstamp: true,
      hazardDivision: true,
      condition: true,
      safeToMove: true,
    }),
  ),
  // A loose key part's name and own serial, as read off it (null: it bears none after all).
  key_part: changesTo(z.strictObject({ part: z.enum(keyPartNames), serial: freeText(64).nullable() })),
  group: changesTo(
    armedGroup.pick({ name: true, aliases: true, governorates: true, units: true, liaisonOfficers: true }),
  ),
  site: changesTo(site.pick({ name: true, location: true, governorate: true })),
};

const subjectKinds = Object.keys(correctable) as (keyof typeof correctable)[];

export const correction = z.discriminatedUnion(
  "kind",
  subjectKinds.map((kind) =>
    z.strictObject({
      kind: z.literal(kind),
      id: z.uuid(),
      /** The event (leaf index) that recorded the value being corrected. */
      corrects: z.int().min(0),
      changes: correctable[kind],
      reason: freeText(1000),
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

type CorrectionInput = {
  kind: (typeof subjectKinds)[number];
  id: string;
  corrects: number;
  changes: Record<string, unknown>;
  reason: string;
};

export const correctRecord = defineCommand({
  type: "record.correct",
  event: "record.corrected",
  payload: correction,
  action: "record.correct",
  // A loose key part's name or serial is corrected by those who record parts, custodians too.
  actionFor: {
    actions: ["record.correct", "key_part.correct"],
    of: (payload) =>
      (payload as CorrectionInput).kind === "key_part" ? "key_part.correct" : "record.correct",
  },
  target: async (raw, view) => {
    const payload = raw as CorrectionInput;
    // A loose part is corrected where it is held, by those who can read its marks off it.
    if (payload.kind === "key_part") {
      const [part] = await view.findItems([{ kind: "key_part", id: payload.id }]);
      return part ? { siteId: part.holderSiteId } : undefined;
    }
    return view.findRecordPlace({ kind: payload.kind, id: payload.id });
  },
  async decide(raw, view, env) {
    const payload = raw as CorrectionInput;
    const subject = { kind: payload.kind, id: payload.id };
    // Groups and sites are registered by administrators only, so only they may correct them.
    if ((subject.kind === "group" || subject.kind === "site") && env.actor.role !== "admin")
      throw new Problem("auth.forbidden", `Only an administrator may correct a ${subject.kind}.`);
    const touched = await view.findEventSubjects(payload.corrects);
    if (!touched)
      throw new Problem("reference.unknown", `There is no event ${payload.corrects} to correct.`, [
        { path: "payload.corrects", message: "unknown event" },
      ]);
    if (!touched.some((s) => s.kind === subject.kind && s.id === subject.id))
      throw new Problem(
        "rule.violated",
        `Event ${payload.corrects} did not record this ${subject.kind}; name the event that did.`,
        [{ path: "payload.corrects", message: "event does not concern the record" }],
      );
    const changes = payload.changes;
    if (payload.kind === "weapon") {
      if (typeof changes.serial === "string")
        assertSerialNotPlaceholder(changes.serial, "payload.changes.serial");
      if (changes.serial && changes.noReadableSerial === true)
        throw new Problem("rule.violated", "Give a serial or mark it unreadable, not both.", [
          { path: "payload.changes", message: "conflicting" },
        ]);
    }
    if (payload.kind === "key_part") await checkKeyPartCorrection(view, payload.id, changes);
    if (
      payload.kind === "person" &&
      typeof changes.groupId === "string" &&
      !(await view.findGroup(changes.groupId))
    )
      throw new Problem("reference.unknown", "The group is not registered.", [
        { path: "payload.changes.groupId", message: "unknown group" },
      ]);
    // A corrected name that now strongly matches someone else is held for review, as at registration.
    const review = payload.kind === "person" ? await recheckCorrectedPerson(view, payload.id, changes) : {};
    return {
      type: "record.corrected",
      subjects: [subject],
      data: { corrects: payload.corrects, subject, changes, reason: payload.reason, ...review },
    };
  },
});

/**
 * A loose key part's corrected serial is not a placeholder, and its corrected name is not one its
 * weapon has loose already (as at separation; `other` may repeat, a part put back no longer counts).
 */
async function checkKeyPartCorrection(view: RecordView, partId: string, changes: Record<string, unknown>) {
  if (typeof changes.serial === "string")
    assertSerialNotPlaceholder(changes.serial, "payload.changes.serial");
  const part = await view.findKeyPart(partId);
  if (!part || typeof changes.part !== "string" || changes.part === part.part || changes.part === "other")
    return;
  const others = await view.findKeyParts([part.weaponId]);
  if (others.some((p) => p.id !== partId && p.part === changes.part && p.state !== "reattached"))
    throw new Problem(
      "rule.violated",
      `This weapon's ${changes.part.replaceAll("_", " ")} is loose already as another part; correct that one, or name this part otherwise.`,
      [{ path: "payload.changes.part", message: "already separated" }],
    );
}
