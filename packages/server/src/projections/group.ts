import type { ArmedGroupInput, GroupDeclarationInput } from "@armsledger/core";
import { sealRow } from "../crypto/personal-columns.ts";
import * as t from "../store/schema.ts";
import { type Projector, touch } from "./recorded-event.ts";

export const groupRegistered: Projector = async (tx, e, keys) => {
  const d = e.data as ArmedGroupInput & { groupId: string };
  // The liaison officers (names, phone numbers) are sealed: private in the event.
  await tx.insert(t.armedGroups).values(
    sealRow(keys, "armed_groups", d.groupId, {
      id: d.groupId,
      code: d.code,
      nameAr: d.name.ar,
      nameEn: d.name.en,
      aliases: d.aliases ?? [],
      umbrellaId: d.umbrellaId ?? null,
      governorates: d.governorates ?? [],
      units: d.units ?? [],
      liaisonOfficers: d.liaisonOfficers ?? [],
      registeredSeq: e.seq,
      updatedSeq: e.seq,
    }),
  );
  await touch(tx, e.seq, [{ kind: "group", id: d.groupId }]);
};

export const groupDeclared: Projector = async (tx, e) => {
  const d = e.data as GroupDeclarationInput & { version: number };
  await tx.insert(t.groupDeclarations).values({
    groupId: d.groupId,
    version: d.version,
    asOf: d.asOf,
    men: d.strength.men,
    women: d.strength.women,
    boys: d.strength.boys,
    girls: d.strength.girls,
    arsenal: d.arsenal,
    declaredCaches: d.declaredCaches,
    note: d.note ?? null,
    seq: e.seq,
  });
  await touch(tx, e.seq, [{ kind: "group", id: d.groupId }]);
};
