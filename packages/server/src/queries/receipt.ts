import { type Actor, Problem } from "@armsledger/core";
import { eq } from "drizzle-orm";
import { PURGED } from "../crypto/field-keys.ts";
import { openRow } from "../crypto/personal-columns.ts";
import type { ReceiptData } from "../receipt/receipt-pdf.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { getHandover } from "./records.ts";

/** Everything a printed receipt shows — and nothing more: never the armed group's name. */
export async function getReceiptData(store: Store, actor: Actor, handoverId: string): Promise<ReceiptData> {
  const h = await getHandover(store, actor, handoverId);
  // A receipt is what a person or a group's representative takes home; nobody hands over a
  // cache's items, so an extraction is known by its reference (receiptNumber) and its leaf only.
  if (h.fromKind === "cache")
    throw new Problem(
      "rule.violated",
      `${h.receiptNumber} is a cache extraction: there is no one to give a receipt to. Its trail and ledger leaf record it.`,
    );
  const [event] = await store.db
    .select({ leafHash: t.events.leafHash })
    .from(t.events)
    .where(eq(t.events.seq, h.seq));
  const [site] = await store.db.select().from(t.sites).where(eq(t.sites.id, h.siteId));
  const [programme] = await store.db.select({ config: t.programme.config }).from(t.programme);
  const programmeName = (programme?.config as { name?: { ar: string; en: string } } | undefined)?.name ?? {
    ar: "",
    en: "",
  };
  let from: ReceiptData["from"] = { kind: "group", representative: h.representative ?? "" };
  if (h.personId) {
    const [person] = await store.db
      .select({ name: t.persons.name, duplicateReview: t.persons.duplicateReview })
      .from(t.persons)
      .where(eq(t.persons.id, h.personId));
    // Issue 5: no receipt while the registration awaits duplicate review (a handover recorded
    // offline before the check is on the record, but its receipt waits for the decision).
    if (person?.duplicateReview === "pending")
      throw new Problem(
        "rule.violated",
        `The receipt ${h.receiptNumber} is held: the person's registration awaits duplicate review. Print it once a reviewer has merged or dismissed the match.`,
      );
    const opened = person && openRow(await store.personal.keys(), "persons", h.personId, person);
    from = {
      kind: "person",
      name: (opened?.name ?? {}) as Extract<ReceiptData["from"], { kind: "person" }>["name"],
    };
  }
  const optional = (s: string | null) => s ?? undefined;
  return {
    receiptNumber: h.receiptNumber,
    leafIndex: h.seq,
    leafHash: event!.leafHash,
    handedAt: new Date(h.handedAt).toISOString(),
    site: { code: site!.code, name: { ar: site!.nameAr, en: site!.nameEn } },
    from,
    eligibility: {
      status: h.eligibilityStatus as ReceiptData["eligibility"]["status"],
      reasons: h.eligibilityReasons,
    },
    weapons: h.weapons.map((w) => ({
      tag: w.tag,
      category: w.category,
      type: w.type,
      make: optional(w.make),
      model: optional(w.model),
      calibre: optional(w.calibre),
      serial: optional(w.serial),
      noReadableSerial: w.noReadableSerial,
      serviceable: w.serviceable,
    })),
    ammunition: h.ammunition.map((a) => ({
      tag: a.tag,
      kind: a.kind,
      calibreOrType: a.calibreOrType,
      quantity: a.quantity,
      unit: a.unit,
    })),
    verifyingOfficer: shownSignatory(h.verifyingOfficer),
    programmeName,
  };
}

/** A sealed signatory as the receipt prints it: "[purged]" once its data key is destroyed. */
function shownSignatory(value: unknown): ReceiptData["verifyingOfficer"] {
  const signatory = value as { name?: string; affiliation?: string; purged?: boolean };
  if (signatory.purged === true) return { name: PURGED, affiliation: PURGED };
  return signatory as ReceiptData["verifyingOfficer"];
}
