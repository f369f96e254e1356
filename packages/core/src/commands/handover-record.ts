import { Problem } from "../problems.ts";
import { handover } from "../records/handover.ts";
import { assertNoDuplicateHold } from "../rules/duplicate-hold.ts";
import { decideEligibility } from "../rules/eligibility.ts";
import { isDerivedTag, itemTag, receiptNumber } from "../rules/receipt-number.ts";
import { assertSerialNotPlaceholder } from "../rules/serial.ts";
import { defineCommand, type RecordRef } from "./command.ts";

export const recordHandover = defineCommand({
  type: "handover.record",
  event: "handover.recorded",
  payload: handover,
  action: "handover.record",
  target: async (payload) => ({ siteId: payload.siteId }),
  async decide(payload, view, env) {
    const site = await view.findSite(payload.siteId);
    if (!site)
      throw new Problem("reference.unknown", "The collection site is not registered.", [
        { path: "payload.siteId", message: "unknown site" },
      ]);
    // A cache's items may also be taken straight to a depot; nothing enters custody at a destruction site.
    const extraction = payload.from.kind === "cache";
    if (site.kind !== "collection" && site.kind !== "mobile_team" && !(extraction && site.kind === "depot"))
      throw new Problem(
        "rule.violated",
        extraction
          ? "A cache's items are taken into custody at a collection site, by a mobile team or at a depot, not at a destruction site."
          : "Handovers are recorded at collection sites or by mobile teams, not at a depot or destruction site.",
        [{ path: "payload.siteId", message: `site is a ${site.kind}` }],
      );
    // Compare instants, not strings: handedAt may carry any UTC offset (e.g. +03:00 in Baghdad).
    if (Date.parse(payload.handedAt) > Date.parse(env.now))
      throw new Problem("rule.violated", "The handover time is in the future; check the device's clock.", [
        { path: "payload.handedAt", message: "in the future" },
      ]);

    for (const [i, w] of payload.weapons.entries()) {
      if (w.serial) assertSerialNotPlaceholder(w.serial, `payload.weapons.${i}.serial`);
      for (const [j, c] of w.componentSerials.entries())
        assertSerialNotPlaceholder(c.serial, `payload.weapons.${i}.componentSerials.${j}.serial`);
      for (const [j, p] of (w.keyPartsApart ?? []).entries())
        if (p.serial) assertSerialNotPlaceholder(p.serial, `payload.weapons.${i}.keyPartsApart.${j}.serial`);
    }

    // Tags: a scanned pre-printed tag is kept; otherwise one is derived from the leaf index. The
    // derived form is reserved, or a scanned tag could take the one a later handover will derive.
    for (const [i, item] of [...payload.weapons, ...payload.ammunition].entries())
      if (item.tag && isDerivedTag(item.tag))
        throw new Problem(
          "tag.in-use",
          `The tag ${item.tag} has the form the system gives its own tags; scan a pre-printed tag or leave the tag empty.`,
          [
            {
              path:
                i < payload.weapons.length
                  ? `payload.weapons.${i}.tag`
                  : `payload.ammunition.${i - payload.weapons.length}.tag`,
              message: "reserved tag form",
            },
          ],
        );
    // Where an item came from is a fact of the operation, not of the form: an extraction's items
    // come from the cache whatever each item says.
    const source = extraction ? { source: "cache" as const } : {};
    const weapons = payload.weapons.map((w, i) => ({
      ...w,
      ...source,
      itemId: env.newId(),
      tag: w.tag ?? itemTag("W", env.seq, i),
    }));
    // Key parts handed in apart become loose key parts at once (ids made here, like the items').
    for (const w of weapons)
      if (w.keyPartsApart)
        w.keyPartsApart = w.keyPartsApart.map((p) => ({ ...p, partId: p.partId ?? env.newId() }));
    const partIds = weapons.flatMap((w) => (w.keyPartsApart ?? []).map((p) => p.partId!));
    if (
      new Set(partIds).size !== partIds.length ||
      (await view.findItems(partIds.map((id) => ({ kind: "key_part" as const, id })))).length > 0
    )
      throw new Problem("rule.violated", "A key part's id is used twice or exists already.", [
        { path: "payload.weapons", message: "key part id in use" },
      ]);
    const ammunition = payload.ammunition.map((a, i) => ({
      ...a,
      ...source,
      lotId: env.newId(),
      tag: a.tag ?? itemTag("A", env.seq, i),
    }));
    const tags = [...weapons.map((w) => w.tag), ...ammunition.map((a) => a.tag)];
    const repeated = tags.filter((t, i) => tags.indexOf(t) !== i);
    if (repeated.length > 0)
      throw new Problem(
        "tag.in-use",
        `The tag ${repeated[0]} is on two items of this handover; each item needs its own tag.`,
      );
    const taken = await view.tagsInUse(tags);
    if (taken.length > 0)
      throw new Problem(
        "tag.in-use",
        `The tag ${taken.join(", ")} is already on another item; use a new tag.`,
      );

    let personFields: Record<string, unknown> = {};
    let groupId: string | undefined;
    let governorate = site.governorate;
    let eligibility: ReturnType<typeof decideEligibility>;
    const programme = await view.programme();
    const items = { weapons: payload.weapons, ammunition: payload.ammunition };
    if (payload.from.kind === "person") {
      const person = await view.findPerson(payload.from.personId);
      if (!person)
        throw new Problem("reference.unknown", "The person is not registered; register them first.", [
          { path: "payload.from.personId", message: "unknown person" },
        ]);
      if (person.duplicateReview === "pending" || person.duplicateReview === "merged")
        assertNoDuplicateHold(
          person,
          await view.findDuplicateReview(person.id),
          payload.handedAt,
          "The handover (and its receipt)",
          "payload.from.personId",
        );
      groupId = person.groupId;
      governorate = person.governorate;
      personFields = { personId: person.id };
      eligibility = decideEligibility({
        programme,
        kind: "person",
        registeredOn: person.registeredOn,
        alreadyEligible: person.eligible,
        revoked: person.eligibilityRevoked,
        screening: await view.findLatestScreening(person.id),
        groupId,
        groupEligibleCount: groupId ? await view.countEligiblePersons(groupId) : 0,
        ...items,
      });
    } else if (payload.from.kind === "cache") {
      const cache = await view.findCache(payload.from.cacheId);
      if (!cache)
        throw new Problem("reference.unknown", "There is no cache report with this id.", [
          { path: "payload.from.cacheId", message: "unknown cache" },
        ]);
      if (cache.status !== "verified")
        throw new Problem(
          "rule.violated",
          cache.status === "reported"
            ? "Verify the cache before extracting its items."
            : `This cache is ${cache.status.replaceAll("_", " ")}; nothing more can be extracted from it.`,
          [{ path: "payload.from.cacheId", message: cache.status }],
        );
      if (cache.verifiedAt && Date.parse(payload.handedAt) < Date.parse(cache.verifiedAt))
        throw new Problem(
          "rule.violated",
          `The cache was verified at ${cache.verifiedAt}; its items cannot be extracted before.`,
          [{ path: "payload.handedAt", message: "before the verification" }],
        );
      // The items count under the group the cache is attributed to, in the cache's governorate.
      groupId = cache.groupId;
      governorate = cache.governorate;
      personFields = { cacheId: cache.id };
      eligibility = { status: "not_applicable", reasons: ["cache_extraction"] };
    } else {
      if (!(await view.findGroup(payload.from.groupId)))
        throw new Problem("reference.unknown", "The group is not registered.", [
          { path: "payload.from.groupId", message: "unknown group" },
        ]);
      groupId = payload.from.groupId;
      personFields = { representative: payload.from.representative };
      eligibility = decideEligibility({ programme, kind: "group", ...items });
    }

    const handoverId = payload.handoverId ?? env.newId();
    const subjects: RecordRef[] = [
      { kind: "handover", id: handoverId },
      ...weapons.map((w) => ({ kind: "weapon" as const, id: w.itemId })),
      ...ammunition.map((a) => ({ kind: "ammunition" as const, id: a.lotId })),
      ...partIds.map((id) => ({ kind: "key_part" as const, id })),
    ];
    if (payload.from.kind === "person") subjects.push({ kind: "person", id: payload.from.personId });
    if (payload.from.kind === "cache") subjects.push({ kind: "cache", id: payload.from.cacheId });
    return {
      type: "handover.recorded",
      subjects,
      data: {
        handoverId,
        receiptNumber: receiptNumber(env.seq),
        siteId: payload.siteId,
        handedAt: payload.handedAt,
        fromKind: payload.from.kind,
        groupId,
        governorate,
        ...personFields,
        receivingOfficer: env.actor.userId,
        verifyingOfficer: payload.verifyingOfficer,
        witnesses: payload.witnesses,
        weapons,
        ammunition,
        photos: payload.photos,
        notes: payload.notes,
        eligibility,
      },
    };
  },
});
