import { type Actor, type DestructionInput, type ItemRef, inScope, Problem } from "@armsledger/core";
import { and, eq, inArray } from "drizzle-orm";
import { findPrivatePart } from "../crypto/private-part.ts";
import type { DestructionCertificateData } from "../documents/destruction-certificate.ts";
import { recordedEventOf } from "../projections/recorded-event.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

/**
 * Everything a destruction certificate shows — and nothing more: never an armed group, never the
 * free-text notes. The batch, site, method and items come from the projections (items as
 * corrected since); operators, witnesses and photos from the disposition event's personal part.
 * Out of the reader's scope (by the destruction site) answers exactly like absent.
 */
export async function getDestructionCertificateData(
  store: Store,
  actor: Actor,
  batchId: string,
): Promise<DestructionCertificateData> {
  const [batch] = await store.db
    .select()
    .from(t.dispositions)
    .where(and(eq(t.dispositions.id, batchId), eq(t.dispositions.kind, "destruction")));
  if (!batch || !inScope(actor.scope, { siteId: batch.siteId }))
    throw new Problem(
      "resource.not-found",
      "There is no destruction batch with this id, or it is outside your scope.",
    );

  const [event] = await store.db.select().from(t.events).where(eq(t.events.seq, batch.seq));
  if (!event) throw new Error(`disposition ${batchId} names leaf ${batch.seq}, which is not in the ledger`);
  // The personal part may have been purged: the certificate then lists no one rather than failing.
  const d = recordedEventOf(event, await findPrivatePart(store, batch.seq))
    .data as Partial<DestructionInput> & {
    recordedBy?: string;
  };

  const refs: ItemRef[] = d.items ?? [];
  const ids = (kind: ItemRef["kind"]) => refs.filter((r) => r.kind === kind).map((r) => r.id);
  const weaponIds = ids("weapon");
  const lotIds = ids("ammunition");
  const weaponRows =
    weaponIds.length > 0
      ? await store.db.select().from(t.weaponItems).where(inArray(t.weaponItems.id, weaponIds))
      : [];
  const lotRows =
    lotIds.length > 0
      ? await store.db.select().from(t.ammunitionLots).where(inArray(t.ammunitionLots.id, lotIds))
      : [];
  // A loose key part destroyed is listed among the weapons, by its weapon's tag and its own serial:
  // the certificate must name every item of the batch.
  const partIds = ids("key_part");
  const partRows =
    partIds.length > 0
      ? await store.db
          .select({ part: t.keyParts, weapon: t.weaponItems })
          .from(t.keyParts)
          .innerJoin(t.weaponItems, eq(t.weaponItems.id, t.keyParts.weaponId))
          .where(inArray(t.keyParts.id, partIds))
      : [];
  const partsById = new Map(partRows.map((p) => [p.part.id, p]));
  const weaponsById = new Map(weaponRows.map((w) => [w.id, w]));
  const lotsById = new Map(lotRows.map((a) => [a.id, a]));

  const [site] = await store.db.select().from(t.sites).where(eq(t.sites.id, batch.siteId));
  const [programme] = await store.db.select({ config: t.programme.config }).from(t.programme);
  const programmeName = (programme?.config as { name?: { ar: string; en: string } } | undefined)?.name ?? {
    ar: "",
    en: "",
  };
  const [officer] = await store.db
    .select({ displayName: t.users.displayName })
    .from(t.users)
    .where(eq(t.users.id, d.recordedBy ?? event.actor));

  const optional = (s: string | null) => s ?? undefined;
  return {
    programmeName,
    batchId: batch.id,
    leafIndex: event.seq,
    leafHash: event.leafHash,
    destroyedAt: new Date(batch.at).toISOString(),
    site: {
      code: site?.code ?? "",
      name: { ar: site?.nameAr ?? "", en: site?.nameEn ?? "" },
    },
    method: batch.method ?? d.method ?? "other",
    operators: (d.operators ?? []).map((o) => ({ name: o.name, affiliation: o.affiliation })),
    witnesses: (d.witnesses ?? []).map((w) => ({
      name: w.name,
      affiliation: w.affiliation,
      independent: w.independent,
    })),
    photoCount: d.photos?.length ?? 0,
    // In the order the event lists them.
    weapons: refs.flatMap((r) => {
      const p = r.kind === "key_part" ? partsById.get(r.id) : undefined;
      if (p)
        return [
          {
            tag: `${p.weapon.tag} / ${p.part.part.replaceAll("_", " ")}`,
            category: p.weapon.category,
            type: `key part: ${p.part.part.replaceAll("_", " ")}`,
            make: optional(p.weapon.make),
            model: optional(p.weapon.model),
            calibre: optional(p.weapon.calibre),
            serial: optional(p.part.serial),
            noReadableSerial: !p.part.serial,
          },
        ];
      const w = r.kind === "weapon" ? weaponsById.get(r.id) : undefined;
      return w
        ? [
            {
              tag: w.tag,
              category: w.category,
              type: w.type,
              make: optional(w.make),
              model: optional(w.model),
              calibre: optional(w.calibre),
              serial: optional(w.serial),
              noReadableSerial: w.noReadableSerial,
            },
          ]
        : [];
    }),
    ammunition: refs.flatMap((r) => {
      const a = r.kind === "ammunition" ? lotsById.get(r.id) : undefined;
      return a
        ? [{ tag: a.tag, kind: a.kind, calibreOrType: a.calibreOrType, quantity: a.quantity, unit: a.unit }]
        : [];
    }),
    officer: { name: officer?.displayName ?? "" },
  };
}
