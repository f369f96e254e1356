import type { PublicTotals, Tally, WeaponTally } from "@armsledger/core";
import type { Audit, AuditProblem } from "./run-verify.ts";

const n = (x: number) => x.toLocaleString("en");

const MAX_KEYS = 12;
const MAX_PROBLEMS_SHOWN = 50;

function tally(t: Tally, label: (key: string) => string = (k) => k): string {
  const keys = Object.keys(t);
  if (keys.length === 0) return "none";
  const shown = keys.slice(0, MAX_KEYS).map((k) => `${label(k)} ${n(t[k]!)}`);
  if (keys.length > MAX_KEYS) shown.push(`and ${keys.length - MAX_KEYS} more (see --json)`);
  return shown.join(", ");
}

function weapons(t: Record<string, WeaponTally>, label: (key: string) => string = (k) => k): string {
  const keys = Object.keys(t);
  if (keys.length === 0) return "none";
  const shown = keys
    .slice(0, MAX_KEYS)
    .map((k) => `${label(k)} ${n(t[k]!.total)} (${n(t[k]!.serviceable)} serviceable)`);
  if (keys.length > MAX_KEYS) shown.push(`and ${keys.length - MAX_KEYS} more (see --json)`);
  return shown.join(", ");
}

function where(p: AuditProblem): string {
  const at: string[] = [];
  if (p.index !== undefined) at.push(`leaf ${n(p.index)}`);
  if (p.tile !== undefined) at.push(p.tile);
  return at.length > 0 ? ` at ${at.join(", ")}` : "";
}

function totalsLines(t: PublicTotals): string[] {
  const group = (id: string) => t.groups.codes[id] ?? (id === "none" ? "no group" : id);
  const site = (id: string) => t.sites.codes[id] ?? id;
  const row = (label: string, value: string) => `  ${label.padEnd(22)}${value}`;
  const sub = (label: string, value: string) => `    ${label.padEnd(20)}${value}`;
  const lines = [
    row("Entries read", n(t.entries)),
    row("Groups registered", n(t.groups.registered)),
    row("Sites registered", `${n(t.sites.registered)}: ${tally(t.sites.byKind)}`),
    row("Persons registered", n(t.persons.registered)),
    sub("by group", tally(t.persons.byGroup, group)),
    sub("by governorate", tally(t.persons.byGovernorate)),
    sub("by sex", tally(t.persons.bySex)),
    sub("by age group", tally(t.persons.byAgeGroup)),
    sub("by kind", tally(t.persons.byKind)),
    sub("listed by a group", tally(t.persons.listedByGroup)),
    row("Handovers", n(t.handovers.count)),
    sub("by site", tally(t.handovers.bySite, site)),
    sub("by governorate", tally(t.handovers.byGovernorate)),
    sub("by group", tally(t.handovers.byGroup, group)),
    sub("by day", tally(t.handovers.byDay)),
    sub("eligibility", tally(t.eligibility.byStatus)),
    sub("reasons", tally(t.eligibility.byReason)),
    row(
      "Weapons",
      `${n(t.weapons.total)} (${n(t.weapons.serviceable)} serviceable, ${n(t.weapons.unserviceable)} not)`,
    ),
    sub("by category", weapons(t.weapons.byCategory)),
    sub("by group", weapons(t.weapons.byGroup, group)),
    sub("by governorate", weapons(t.weapons.byGovernorate)),
    row("Ammunition", `${n(t.ammunition.lots)} lots, ${n(t.ammunition.rounds.total)} rounds`),
    sub("rounds by calibre", tally(t.ammunition.rounds.byCalibreOrType)),
  ];
  for (const [unit, q] of Object.entries(t.ammunition.otherUnits))
    lines.push(sub(`${unit}`, `${n(q.total)}: ${tally(q.byCalibreOrType)}`));
  const declared = Object.entries(t.declarations);
  lines.push(row("Declarations", declared.length === 0 ? "none" : `latest of ${declared.length} groups`));
  for (const [id, d] of declared) {
    const s = d.strength;
    lines.push(
      sub(
        group(id),
        `version ${d.version} as of ${d.asOf}: ${n(s.men)} men, ${n(s.women)} women, ${n(s.boys)} boys, ` +
          `${n(s.girls)} girls; arsenal ${tally(d.arsenal)}; ${n(d.declaredCaches)} caches`,
      ),
    );
  }
  const c = t.corrections;
  lines.push(
    row(
      "Corrections",
      `${n(c.total)}${c.total > 0 ? ` (${tally(c.bySubject)}; ${n(c.private)} personal, not applied; ${n(c.unmatched)} unmatched)` : ""}`,
    ),
  );
  return lines;
}

/** The audit as a person reads it: what was checked, what held, where each problem is, the totals. */
export function formatAudit(audit: Audit): string {
  const lines: string[] = [`ArmsLedger log audit of ${audit.source}`, ""];
  const cp = audit.checkpoint;
  lines.push(
    cp ? `Checkpoint   ${cp.origin}, size ${n(cp.size)}, root ${cp.root}` : "Checkpoint   could not be read",
  );
  lines.push(
    `Log key      ${audit.signatures.log ? "signature verified" : "NO VALID SIGNATURE by the log's key"}`,
  );
  const ws = audit.signatures.witnesses;
  const cosigned = ws.filter((w) => w.verified).length;
  lines.push(
    ws.length === 0
      ? `Witnesses    none asked for (quorum ${audit.quorum})`
      : `Witnesses    ${cosigned} of ${ws.length} cosigned; quorum ${audit.quorum} ${audit.quorumMet ? "met" : "NOT met"}`,
  );
  for (const w of ws)
    lines.push(
      `             ${w.verified ? "ok " : "NO "} ${w.name}+${w.keyId}${w.verified ? ` at ${w.time}` : `: ${w.detail}`}`,
    );
  lines.push(`Entries      ${n(audit.entries)} read and re-hashed; ${n(audit.tiles)} tiles compared`);
  if (audit.computedRoot !== undefined)
    lines.push(
      `Root         from the entries ${audit.computedRoot}${cp && audit.computedRoot === cp.root ? " (the checkpoint's)" : ""}`,
    );
  lines.push("");
  if (audit.ok) {
    lines.push("VERIFIED: the signatures, every entry, every tile and the root hold.");
  } else {
    const count = audit.problems.length + audit.problemsOmitted;
    lines.push(`NOT VERIFIED: ${n(count)} problem${count === 1 ? "" : "s"}.`);
    audit.problems.slice(0, MAX_PROBLEMS_SHOWN).forEach((p, i) => {
      lines.push(`  ${String(i + 1).padStart(3)}. ${p.kind}${where(p)}: ${p.detail}`);
    });
    const more = count - Math.min(audit.problems.length, MAX_PROBLEMS_SHOWN);
    if (more > 0)
      lines.push(`       and ${n(more)} more${audit.problemsOmitted > 0 ? "" : " (see --json)"}.`);
  }
  lines.push("");
  lines.push(
    audit.ok
      ? "Public totals, recomputed from the verified entries:"
      : "Public totals, from the entries as served (NOT verified; do not rely on them):",
  );
  lines.push(...totalsLines(audit.totals));
  return `${lines.join("\n")}\n`;
}
