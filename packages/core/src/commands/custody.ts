import { Problem } from "../problems.ts";
import { dispatch, type ItemRef, type ReceiveInput, receive } from "../records/custody.ts";
import { assertSerialNotPlaceholder } from "../rules/serial.ts";
import { defineCommand, type RecordView } from "./command.ts";
import { assertNoStockCheckUnderWay } from "./stock-check.ts";

const key = (i: ItemRef) => `${i.kind}:${i.id}`;

/**
 * Date order: nothing happens to an item before its holder took it into custody (its handover,
 * its receipt, its return to the store). Clocks drift and people mistype; the ledger must not say
 * a rifle was destroyed before it arrived.
 */
export async function assertNotBeforeCustody(
  view: RecordView,
  refs: readonly ItemRef[],
  at: string,
  atPath: string,
  verb: string,
) {
  const since = new Map((await view.custodySince(refs)).map((s) => [key(s), s.since]));
  for (const [n, ref] of refs.entries()) {
    const from = since.get(key(ref));
    if (from && Date.parse(at) < Date.parse(from))
      throw new Problem(
        "rule.violated",
        `Item ${n + 1} came into this custody at ${from} (its handover, receipt or return); it cannot be ${verb} before that. Check the date and time.`,
        [{ path: atPath, message: `before item ${n + 1} came into custody` }],
      );
  }
}

async function site(view: RecordView, id: string, path: string) {
  const found = await view.findSite(id);
  if (!found)
    throw new Problem("reference.unknown", "The site is not registered.", [
      { path, message: "unknown site" },
    ]);
  return found;
}

export const dispatchTransfer = defineCommand({
  type: "custody.dispatch",
  event: "custody.dispatched",
  payload: dispatch,
  action: "custody.dispatch",
  target: async (payload) => ({ siteId: payload.fromSiteId }),
  async decide(payload, view, env) {
    await site(view, payload.fromSiteId, "payload.fromSiteId");
    await site(view, payload.toSiteId, "payload.toSiteId");
    if (new Date(payload.dispatchedAt) > new Date(env.now))
      throw new Problem("rule.violated", "The dispatch time is in the future; check the device's clock.", [
        { path: "payload.dispatchedAt", message: "in the future" },
      ]);
    if (payload.countAtDispatch !== payload.items.length)
      throw new Problem(
        "rule.violated",
        `The count at dispatch (${payload.countAtDispatch}) differs from the manifest (${payload.items.length} items). Count again before sealing.`,
        [{ path: "payload.countAtDispatch", message: "differs from the manifest" }],
      );
    const found = new Map((await view.findItems(payload.items)).map((i) => [key(i), i]));
    for (const [n, ref] of payload.items.entries()) {
      const item = found.get(key(ref));
      const path = `payload.items.${n}`;
      if (!item)
        throw new Problem("reference.unknown", `Item ${n + 1} of the manifest is not recorded.`, [
          { path, message: "unknown item" },
        ]);
      if (item.state === "in_transit")
        throw new Problem(
          "rule.violated",
          `Item ${n + 1} is already in transit; receive it before moving it again.`,
          [{ path, message: "in transit" }],
        );
      if (item.state === "out_of_store")
        throw new Problem(
          "rule.violated",
          `Item ${n + 1} was taken out of the store; log its return before dispatching it.`,
          [{ path, message: item.state }],
        );
      if (item.state !== "in_custody")
        throw new Problem(
          "rule.violated",
          `Item ${n + 1} is ${item.state.replaceAll("_", " ")} and can never move again.`,
          [{ path, message: item.state }],
        );
      if (item.holderSiteId !== payload.fromSiteId)
        throw new Problem(
          "rule.violated",
          `Item ${n + 1} is not held at the dispatching site; only its current holder can dispatch it.`,
          [{ path, message: "not the holder" }],
        );
    }
    await assertNoStockCheckUnderWay(view, payload.fromSiteId, "payload.fromSiteId");
    await assertNotBeforeCustody(
      view,
      payload.items,
      payload.dispatchedAt,
      "payload.dispatchedAt",
      "dispatched",
    );
    const kinds = new Set(payload.items.map((i) => i.kind));
    const programme = await view.programme();
    if (kinds.size > 1 && !programme?.custody?.allowMixedManifests)
      throw new Problem(
        "rule.violated",
        "Weapons, ammunition and loose key parts travel separately: split this manifest into one transfer per kind.",
        [{ path: "payload.items", message: "mixed manifest" }],
      );
    const reused = await view.sealsInUse(payload.seals);
    if (reused.length > 0)
      throw new Problem(
        "rule.violated",
        `Seal ${reused.join(", ")} was already used on another transfer; use new seals.`,
        [{ path: "payload.seals", message: "seal reused" }],
      );
    const transferId = payload.transferId ?? env.newId();
    if (await view.findTransfer(transferId))
      throw new Problem("rule.violated", "A transfer with this id exists already.", [
        { path: "payload.transferId", message: "id in use" },
      ]);
    return {
      type: "custody.dispatched",
      subjects: [{ kind: "transfer", id: transferId }, ...payload.items],
      data: {
        ...payload,
        transferId,
        dispatchedBy: env.actor.userId,
        manifest: kinds.size > 1 ? "mixed" : [...kinds][0],
      },
    };
  },
});

export const receiveTransfer = defineCommand({
  type: "custody.receive",
  event: "custody.received",
  payload: receive,
  action: "custody.receive",
  target: async (payload, view) => {
    const transfer = await view.findTransfer(payload.transferId);
    return transfer ? { siteId: transfer.toSiteId } : undefined;
  },
  async decide(payload, view, env) {
    const transfer = await view.findTransfer(payload.transferId);
    if (!transfer)
      throw new Problem("reference.unknown", "There is no transfer with this id.", [
        { path: "payload.transferId", message: "unknown transfer" },
      ]);
    if (transfer.status !== "in_transit")
      throw new Problem("rule.violated", "This transfer was already received.", [
        { path: "payload.transferId", message: transfer.status },
      ]);
    if (new Date(payload.receivedAt) > new Date(env.now))
      throw new Problem("rule.violated", "The receipt time is in the future; check the device's clock.", [
        { path: "payload.receivedAt", message: "in the future" },
      ]);
    if (Date.parse(payload.receivedAt) < Date.parse(transfer.dispatchedAt))
      throw new Problem(
        "rule.violated",
        `The receipt time is before the load was dispatched (${transfer.dispatchedAt}). Check the date and time.`,
        [{ path: "payload.receivedAt", message: "before the dispatch" }],
      );
    await assertNoStockCheckUnderWay(view, transfer.toSiteId, "payload.transferId");
    const manifest = new Set(transfer.items.map(key));
    for (const [n, ref] of payload.items.entries())
      if (!manifest.has(key(ref)))
        throw new Problem(
          "rule.violated",
          `Received item ${n + 1} is not on this transfer's manifest; list it under "unexpected" with a description.`,
          [{ path: `payload.items.${n}`, message: "not on the manifest" }],
        );
    for (const [n, seal] of payload.sealsIntact.entries())
      if (!transfer.seals.includes(seal))
        throw new Problem("rule.violated", `Seal ${seal} was not put on this load at dispatch.`, [
          { path: `payload.sealsIntact.${n}`, message: "unknown seal" },
        ]);

    const { keyPartsApart, keyPartsMissing } = await keyPartsAtReceipt(payload, view, env);
    const { keyPartsApart: _apart, keyPartsMissing: _missing, ...rest } = payload;

    // A receipt that differs from the dispatch opens a discrepancy for each difference.
    const received = new Set(payload.items.map(key));
    const discrepancies = [
      ...transfer.items.filter((i) => !received.has(key(i))).map((item) => ({ kind: "missing_item", item })),
      // A weapon arrived without a part it left with: the part is missing like any item.
      ...keyPartsMissing.map((p) => ({
        kind: "missing_item",
        item: { kind: "key_part", id: p.partId },
        weaponId: p.weaponId,
        part: p.part,
      })),
      ...transfer.seals
        .filter((s) => !payload.sealsIntact.includes(s))
        .map((seal) => ({ kind: "broken_seal", seal })),
      ...payload.unexpected.map((u) => ({
        kind: "unexpected_item",
        description: u.description,
        ...(u.serial ? { serial: u.serial } : {}),
      })),
      ...(payload.countAtReceipt !== payload.items.length + payload.unexpected.length
        ? [
            {
              kind: "count_mismatch",
              counted: payload.countAtReceipt,
              listed: payload.items.length + payload.unexpected.length,
            },
          ]
        : []),
    ];
    return {
      type: "custody.received",
      subjects: [
        { kind: "transfer", id: transfer.id },
        ...transfer.items,
        ...[...keyPartsApart, ...keyPartsMissing].map((p) => ({ kind: "key_part" as const, id: p.partId })),
      ],
      data: {
        ...rest,
        // Only when there are any: a plain receipt's leaf keeps the shape it always had.
        ...(keyPartsApart.length > 0 ? { keyPartsApart } : {}),
        ...(keyPartsMissing.length > 0 ? { keyPartsMissing } : {}),
        toSiteId: transfer.toSiteId,
        receivedBy: env.actor.userId,
        discrepancies,
      },
    };
  },
});

/**
 * The key parts a receipt records off the weapons that arrived: found apart (the bolt in a bag
 * beside its rifle) or missing (the rifle came without it). Each is a part the weapon left with:
 * one not already separated from it (a part put back travels with its weapon again), on a weapon
 * of this load that arrived. Each gets its id here, so the leaf names it.
 */
async function keyPartsAtReceipt(payload: ReceiveInput, view: RecordView, env: { newId(): string }) {
  // A part's serial typed at receipt is held to the rule a weapon's is at handover.
  for (const [n, p] of payload.keyPartsApart.entries())
    if (p.serial) assertSerialNotPlaceholder(p.serial, `payload.keyPartsApart.${n}.serial`);
  const arrived = new Set(payload.items.filter((i) => i.kind === "weapon").map((i) => i.id));
  const listed = [
    ...payload.keyPartsApart.map((p, n) => ({ p, path: `payload.keyPartsApart.${n}` })),
    ...payload.keyPartsMissing.map((p, n) => ({ p, path: `payload.keyPartsMissing.${n}` })),
  ];
  if (listed.length === 0) return { keyPartsApart: [], keyPartsMissing: [] };
  const weaponIds = [...new Set(listed.map((l) => l.p.weaponId))];
  const separated = await view.findKeyParts(weaponIds);
  const neverHandedIn = new Set(
    (await view.keyPartsMissingAtHandover(weaponIds)).map((m) => `${m.weaponId}:${m.part}`),
  );
  for (const { p, path } of listed) {
    if (!arrived.has(p.weaponId))
      throw new Problem(
        "rule.violated",
        "A key part is recorded off a weapon of this load that arrived: list the weapon among the items received.",
        [{ path: `${path}.weaponId`, message: "weapon not received" }],
      );
    if (
      p.part !== "other" &&
      separated.some((s) => s.weaponId === p.weaponId && s.part === p.part && s.state !== "reattached")
    )
      throw new Problem(
        "rule.violated",
        `This weapon's ${p.part.replaceAll("_", " ")} was separated from it before the dispatch; it travels on its own trail.`,
        [{ path: `${path}.part`, message: "already separated" }],
      );
    // A part the weapon was handed in without never left with it; found in the load, it is
    // recorded apart (as `weapon.separate_part` records one that turns up).
    if (
      path.startsWith("payload.keyPartsMissing") &&
      p.part !== "other" &&
      neverHandedIn.has(`${p.weaponId}:${p.part}`)
    )
      throw new Problem(
        "rule.violated",
        `This weapon was handed in without its ${p.part.replaceAll("_", " ")}; it cannot have gone missing on the road.`,
        [{ path: `${path}.part`, message: "missing since the handover" }],
      );
    if (p.partId && (await view.findItems([{ kind: "key_part", id: p.partId }])).length > 0)
      throw new Problem("rule.violated", "An item with this id exists already.", [
        { path: `${path}.partId`, message: "id in use" },
      ]);
  }
  const withId = <T extends { partId?: string | undefined }>(p: T) => ({
    ...p,
    partId: p.partId ?? env.newId(),
  });
  return {
    keyPartsApart: payload.keyPartsApart.map(withId),
    keyPartsMissing: payload.keyPartsMissing.map(withId),
  };
}
