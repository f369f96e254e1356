// How a group's roster grew from version to version. Padded rosters arrive late (DOMAIN.md: "a
// roster padded by 20% just before the cut-off"), so two signals: entries that joined the list in
// a version submitted after the programme's cut-off date, and a spike — a version that grew the
// list by more than a threshold over the one before, whenever it came. Entries are followed by the
// group's own member number; a number dropped and listed again counts as joining again.

export interface RosterVersionMembers {
  version: number;
  /** ISO date. */
  submittedOn: string;
  memberNumbers: readonly string[];
}

export interface VersionGrowth {
  version: number;
  submittedOn: string;
  afterCutOff: boolean;
  entries: number;
  added: number;
  removed: number;
  /** (entries − previous entries) / previous entries; null for the first version. */
  growth: number | null;
  spike: boolean;
}

export interface RosterGrowth {
  cutOffDate: string | null;
  spikeThreshold: number;
  versions: VersionGrowth[];
  /** Entries of the latest version that joined in a version submitted after the cut-off. */
  addedAfterCutOff: { entries: number; share: number } | null;
  spikes: number;
}

/** Growth above 10% from one version to the next is flagged. */
export const DEFAULT_SPIKE_THRESHOLD = 0.1;

const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 10_000) / 10_000);

export function rosterGrowth(
  versions: readonly RosterVersionMembers[],
  cutOffDate: string | undefined,
  spikeThreshold = DEFAULT_SPIKE_THRESHOLD,
): RosterGrowth {
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  const rows: VersionGrowth[] = [];
  // Member number → the version since which it has been on the list without a break.
  let since = new Map<string, number>();
  let previous: RosterVersionMembers | undefined;
  for (const v of ordered) {
    const before = new Set(previous?.memberNumbers ?? []);
    const next = new Map<string, number>();
    for (const n of v.memberNumbers) next.set(n, since.get(n) ?? v.version);
    const added = v.memberNumbers.filter((n) => !before.has(n)).length;
    const current = new Set(v.memberNumbers);
    const removed = [...before].filter((n) => !current.has(n)).length;
    const growth = previous
      ? previous.memberNumbers.length === 0
        ? null
        : share(v.memberNumbers.length - previous.memberNumbers.length, previous.memberNumbers.length)
      : null;
    rows.push({
      version: v.version,
      submittedOn: v.submittedOn,
      afterCutOff: cutOffDate !== undefined && v.submittedOn > cutOffDate,
      entries: v.memberNumbers.length,
      added,
      removed,
      growth,
      spike: growth !== null && growth > spikeThreshold,
    });
    since = next;
    previous = v;
  }
  let addedAfterCutOff: RosterGrowth["addedAfterCutOff"] = null;
  if (cutOffDate !== undefined && previous) {
    const late = new Set(rows.filter((r) => r.afterCutOff).map((r) => r.version));
    const entries = [...since.values()].filter((v) => late.has(v)).length;
    addedAfterCutOff = { entries, share: share(entries, previous.memberNumbers.length) };
  }
  return {
    cutOffDate: cutOffDate ?? null,
    spikeThreshold,
    versions: rows,
    addedAfterCutOff,
    spikes: rows.filter((r) => r.spike).length,
  };
}
