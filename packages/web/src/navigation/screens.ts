import { type Action, type Role, roleMay } from "@armsledger/core";

// Each screen names the API action its data comes from, and the navigation asks core's access
// policy (the same table the server enforces) whether the reader's role may take it. No second,
// hand-kept list of who sees what: a change to the policy moves the screens with it.

export const screens = [
  { id: "home", path: "/", access: "public" },
  { id: "receipt", path: "/receipt", access: "public" },
  { id: "figures", path: "/figures", access: "public" },
  // Everything the ledger page shows is published at /log/checkpoint for anyone to check.
  { id: "ledger", path: "/ledger", access: "public" },
  // The registrar's main field workflow; recording a handover is what it is for.
  { id: "lane", path: "/lane", access: "handover.record" },
  { id: "trail", path: "/trail", access: "item.trail" },
  { id: "transfers", path: "/transfers", access: "transfer.read" },
  { id: "discrepancies", path: "/discrepancies", access: "transfer.read" },
  // The programme dashboard: its figures come from the collection-progress report.
  { id: "dashboard", path: "/dashboard", access: "report.collection" },
  { id: "stockChecks", path: "/stock-checks", access: "stock_check.read" },
  // The forms are the screen: no list of batches is published yet, so only those who record them.
  { id: "dispositions", path: "/dispositions", access: "disposition.destroy" },
  { id: "caches", path: "/caches", access: "cache.read" },
  { id: "groups", path: "/groups", access: "group.read" },
  // Finding a person and their record (at /persons/:id); every view is logged by the API.
  { id: "persons", path: "/persons", access: "person.read" },
  // The case worker's follow-ups; the pathway actions are on the person's record.
  { id: "reintegration", path: "/reintegration", access: "pathway.read" },
  // The store access log: removals and returns; the forms only for those who may record them.
  { id: "stores", path: "/stores", access: "store.read" },
] as const satisfies readonly { id: string; path: string; access: Action | "public" }[];

export type Screen = (typeof screens)[number];
export type ScreenId = Screen["id"];

export function mayOpen(screen: Screen, role: Role | undefined): boolean {
  if (screen.access === "public") return true;
  return role !== undefined && roleMay(role, screen.access);
}

/** The screens a reader may open, in menu order; `undefined` is someone not signed in. */
export function visibleScreens(role: Role | undefined): Screen[] {
  return screens.filter((s) => mayOpen(s, role));
}

export function screenById(id: ScreenId): Screen {
  return screens.find((s) => s.id === id)!;
}
