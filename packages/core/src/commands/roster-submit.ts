import { canonicalJson } from "@armsledger/ledger";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { preparePerson } from "../names/person.ts";
import { Problem, type ProblemField } from "../problems.ts";
import { type RosterEntryInput, rosterSubmission } from "../records/roster.ts";
import { matchInputFromRosterEntry } from "../rosters/match.ts";
import { defineCommand } from "./command.ts";

/**
 * SHA-256 of the entries' canonical JSON (RFC 8785). The leaf carries it instead of the list, so
 * the group can check that the list it handed over is the one recorded (it hashes its own copy),
 * while the names stay in the private part.
 */
export function rosterEntriesHash(entries: readonly RosterEntryInput[]): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(entries))));
}

export const submitRoster = defineCommand({
  type: "roster.submit",
  event: "roster.submitted",
  payload: rosterSubmission,
  action: "roster.submit",
  target: async () => undefined,
  async decide(payload, view, env) {
    if (!(await view.findGroup(payload.groupId)))
      throw new Problem("reference.unknown", "The group is not registered; register it before its roster.", [
        { path: "payload.groupId", message: "unknown group" },
      ]);
    if (payload.submittedOn > env.now.slice(0, 10))
      throw new Problem(
        "rule.violated",
        "The submission date is in the future; give the day the list was handed over.",
        [{ path: "payload.submittedOn", message: "in the future" }],
      );
    const previous = await view.findLatestRoster(payload.groupId);
    if (previous && payload.submittedOn < previous.submittedOn)
      throw new Problem(
        "rule.violated",
        `Version ${previous.version} of this roster was submitted on ${previous.submittedOn}; a new version cannot be dated before it.`,
        [{ path: "payload.submittedOn", message: "before the previous version" }],
      );
    // Every name must be one the engine can compare, or the comparison would silently drop it.
    const issues: ProblemField[] = [];
    payload.entries.forEach((entry, i) => {
      try {
        preparePerson(matchInputFromRosterEntry(entry));
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        for (const f of error.fields)
          issues.push({ path: `payload.entries.${i}.${f.path}`, message: f.message });
      }
    });
    if (issues.length > 0)
      throw new Problem(
        "request.invalid",
        `${issues.length} name field(s) of the roster cannot be matched: ${issues[0]!.path} ${issues[0]!.message}${issues.length > 1 ? " (and more)" : ""}.`,
        issues,
      );
    // Versions replace one another for comparison; all are kept. Added and removed are counted by
    // member number against the previous version: a padded list shows as a jump in "added".
    const before = new Set(previous?.memberNumbers ?? []);
    const now = new Set(payload.entries.map((e) => e.memberNumber));
    const added = [...now].filter((n) => !before.has(n)).length;
    const removed = [...before].filter((n) => !now.has(n)).length;
    return {
      type: "roster.submitted",
      subjects: [{ kind: "group", id: payload.groupId }],
      data: {
        groupId: payload.groupId,
        version: (previous?.version ?? 0) + 1,
        submittedOn: payload.submittedOn,
        entryCount: payload.entries.length,
        added,
        removed,
        entriesHash: rosterEntriesHash(payload.entries),
        entries: payload.entries,
      },
    };
  },
});
