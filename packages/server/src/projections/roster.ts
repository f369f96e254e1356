import type { RosterEntryInput } from "@armsledger/core";
import { rosterEntryKey, sealRow } from "../crypto/personal-columns.ts";
import * as t from "../store/schema.ts";
import { type Projector, touch } from "./recorded-event.ts";

// Rows per INSERT: nine columns each, well under PostgreSQL's 65,535 parameters.
const CHUNK = 2000;

export const rosterSubmitted: Projector = async (tx, e, keys) => {
  const d = e.data as {
    groupId: string;
    version: number;
    submittedOn: string;
    entryCount: number;
    added: number;
    removed: number;
    entriesHash: string;
    entries: RosterEntryInput[];
  };
  await tx.insert(t.groupRosters).values({
    groupId: d.groupId,
    version: d.version,
    submittedOn: d.submittedOn,
    entryCount: d.entryCount,
    added: d.added,
    removed: d.removed,
    entriesHash: d.entriesHash,
    seq: e.seq,
  });
  const rows = d.entries.map((entry, position) =>
    sealRow(keys, "group_roster_entries", rosterEntryKey(d.groupId, d.version, position), {
      groupId: d.groupId,
      version: d.version,
      position,
      memberNumber: entry.memberNumber,
      name: entry.name as unknown,
      motherName: (entry.motherName ?? null) as unknown,
      birthYear: entry.birthYear ?? null,
      sex: entry.sex ?? null,
      governorate: entry.governorate ?? null,
    }),
  );
  for (let i = 0; i < rows.length; i += CHUNK)
    await tx.insert(t.groupRosterEntries).values(rows.slice(i, i + CHUNK));
  await touch(tx, e.seq, [{ kind: "group", id: d.groupId }]);
};
