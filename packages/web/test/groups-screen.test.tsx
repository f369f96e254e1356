import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { account, commandRoute, fakeApi, refusedOnce, signedOut } from "./fake-api.ts";
import { renderAt } from "./render.tsx";

afterEach(() => vi.unstubAllGlobals());

const umbrellaId = "77777777-7777-4777-8777-777777777777";
const groupId = "88888888-8888-4888-8888-888888888888";
const group = (id: string, code: string, nameAr: string, nameEn: string, umbrella: string | null) => ({
  id,
  code,
  nameAr,
  nameEn,
  aliases: [],
  umbrellaId: umbrella,
  governorates: ["BGD"],
  units: umbrella ? ["Brigade 12"] : [],
  status: "armed",
  statusDecidedOn: null,
  partyStatus: null,
  partyStatusOn: null,
  partyNameAr: null,
  partyNameEn: null,
});
const umbrella = group(umbrellaId, "UMB-1", "الحشد الجامع", "The Umbrella", null);
const unit = group(groupId, "GRP-12", "لواء الرافدين", "Rafidain Brigade", umbrellaId);
const declaration = (version: number, men: number, rifles: number) => ({
  version,
  asOf: `2026-0${version}-01`,
  men,
  women: 0,
  boys: 2,
  girls: 0,
  arsenal: [{ category: "rifle", count: rifles }],
  declaredCaches: 1,
  note: null,
  seq: version,
});
// A group has a `status` and a `code`, which the fake API would take for a refusal: answer it as JSON.
const json = (body: unknown) => () =>
  new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
const reads = {
  "GET /api/v1/groups": { items: [umbrella, unit] },
  [`GET /api/v1/groups/${groupId}`]: json({
    ...unit,
    declarations: [declaration(1, 100, 80), declaration(2, 140, 95)],
  }),
  [`GET /api/v1/groups/${groupId}/status-history`]: json({
    groupId,
    status: "armed",
    statusDecidedOn: null,
    party: null,
    history: [
      { status: "armed", reference: "REG-1", decidedBy: "Programme office", decidedOn: "2026-01-05" },
    ],
    partyHistory: [],
  }),
};
const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe("the groups screen", () => {
  it("shows an administrator the groups, a group's declarations by version, and records a change of status after a refusal", async () => {
    const t = en.groups;
    let tries = 0;
    const api = commandRoute(({ payload }) =>
      tries++ === 0
        ? {
            status: 422,
            code: "rule.violated",
            detail: "The decision cannot be dated in the future.",
            errors: [{ path: "payload.decision.decidedOn", message: "in the future" }],
          }
        : { data: payload },
    );
    fakeApi({ "GET /api/v1/me": account("admin"), ...reads, "POST /api/v1/commands": api.route });
    renderAt("/groups", { language: "en", digits: "latn" });
    const table = await screen.findByRole("table", { name: t.title });
    const row = within(table).getByText("Rafidain Brigade").closest("tr")!;
    expect(within(row).getByText("The Umbrella")).toBeTruthy();
    expect(within(row).getByText("Brigade 12")).toBeTruthy();
    fireEvent.click(within(row).getByRole("button", { name: t.open.replace("{{code}}", "GRP-12") }));
    const declarations = await screen.findByRole("table", { name: t.declarations });
    const versions = within(declarations)
      .getAllByRole("row")
      .slice(1)
      .map((r) => r.querySelector("td")!.textContent);
    expect(versions).toEqual(["2", "1"]);
    expect(within(declarations).getByText(`${en.categories.rifle}: 95`)).toBeTruthy();

    fireEvent.click(await screen.findByRole("button", { name: t.transform }));
    fireEvent.change(screen.getByLabelText(t.newStatus), { target: { value: "disarming" } });
    type(t.reference, "CAB-2026-14");
    type(t.decidedBy, "Council of Ministers");
    type(t.decidedOn, "2026-03-01");
    fireEvent.click(screen.getByRole("button", { name: t.transformSubmit }));
    expect(await screen.findByText(/cannot be dated in the future/)).toBeTruthy();
    expect(screen.getByLabelText(t.decidedOn).getAttribute("aria-invalid")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: t.transformSubmit }));
    await waitFor(() => expect(screen.queryByRole("button", { name: t.transformSubmit })).toBeNull());
    expect(api.sent.map((c) => c.type)).toEqual(["group.transform", "group.transform"]);
    expect(api.sent[1]!.payload).toEqual({
      groupId,
      status: "disarming",
      decision: { reference: "CAB-2026-14", decidedBy: "Council of Ministers", decidedOn: "2026-03-01" },
    });
  });

  it("lets an administrator record a new declaration in Arabic, typed in Arabic-Indic digits, after a refusal", async () => {
    const t = ar.groups;
    let tries = 0;
    const api = commandRoute(({ payload }) =>
      tries++ === 0
        ? {
            status: 422,
            code: "validation.failed",
            detail: "The declaration's date is not a day.",
            errors: [{ path: "payload.asOf", message: "not a day" }],
          }
        : { data: { ...payload, version: 3 } },
    );
    fakeApi({ "GET /api/v1/me": account("admin"), ...reads, "POST /api/v1/commands": api.route });
    renderAt("/groups", { language: "ar", digits: "arab" });
    const table = await screen.findByRole("table", { name: t.title });
    fireEvent.click(within(table).getByRole("button", { name: t.open.replace("{{code}}", "GRP-12") }));
    fireEvent.click(await screen.findByRole("button", { name: t.declare }));
    type(t.asOf, "2026-04-01");
    type(t.strengthParts.men, "١٥٠");
    type(t.strengthParts.boys, "٣");
    type(ar.categories.rifle, "١٠٠");
    type(ar.categories.mortar, "2");
    type(t.declaredCaches, "١");
    fireEvent.click(screen.getByRole("button", { name: t.declareSubmit }));
    expect(await screen.findByText(/date is not a day/)).toBeTruthy();
    expect(screen.getByLabelText(t.asOf).getAttribute("aria-invalid")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: t.declareSubmit }));
    await waitFor(() => expect(screen.queryByRole("button", { name: t.declareSubmit })).toBeNull());
    expect(api.sent.map((c) => c.type)).toEqual(["group.declare", "group.declare"]);
    expect(api.sent[1]!.payload).toEqual({
      groupId,
      asOf: "2026-04-01",
      strength: { men: 150, women: 0, boys: 3, girls: 0 },
      arsenal: [
        { category: "rifle", count: 100 },
        { category: "mortar", count: 2 },
      ],
      declaredCaches: 1,
    });
  });

  it("lets an administrator register a group under an umbrella: checked first, the refusal at its field, then the list read again", async () => {
    const t = en.groups;
    const api = refusedOnce(
      {
        status: 422,
        code: "rule.violated",
        detail: "The group code GRP-14 is taken; choose another.",
        errors: [{ path: "payload.code", message: "code in use" }],
      },
      ({ payload }) => ({ data: { ...payload, groupId: "99999999-9999-4999-8999-999999999999" } }),
    );
    const calls = fakeApi({
      "GET /api/v1/me": account("admin"),
      ...reads,
      "POST /api/v1/commands": api.route,
    });
    renderAt("/groups", { language: "en", digits: "latn" });
    await screen.findByRole("table", { name: t.title });
    fireEvent.click(screen.getByRole("button", { name: t.register }));
    const form = screen.getByRole("form", { name: t.register });
    fireEvent.click(within(form).getByRole("button", { name: t.registerSubmit }));
    await waitFor(() => expect(screen.getByLabelText(t.code).getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getByLabelText(t.nameAr).getAttribute("aria-invalid")).toBe("true");
    expect(api.sent).toEqual([]);
    type(t.code, "GRP-14");
    type(t.nameAr, "كتائب النهرين");
    type(t.nameEn, "Nahrain Battalions");
    type(t.umbrellaOptional, umbrellaId);
    fireEvent.click(within(form).getByLabelText("Baghdad"));
    fireEvent.click(within(form).getByLabelText("Anbar"));
    type(t.units, "Company A\n\n Company B ");
    fireEvent.click(within(form).getByRole("button", { name: t.registerSubmit }));
    expect(await screen.findByText(/GRP-14 is taken/)).toBeTruthy();
    expect(screen.getByLabelText(t.code).getAttribute("aria-invalid")).toBe("true");
    fireEvent.click(within(form).getByRole("button", { name: t.registerSubmit }));
    await waitFor(() => expect(screen.queryByRole("form", { name: t.register })).toBeNull());
    expect(api.sent.map((c) => c.type)).toEqual(["group.register", "group.register"]);
    expect(api.sent[1]!.payload).toEqual({
      code: "GRP-14",
      name: { ar: "كتائب النهرين", en: "Nahrain Battalions" },
      umbrellaId,
      governorates: ["IQ-BG", "IQ-AN"],
      units: ["Company A", "Company B"],
    });
    expect(calls.filter((c) => c === "GET /api/v1/groups").length).toBeGreaterThan(1);
  });

  it("shows a monitor the groups in Arabic, right to left, with no form to change a status", async () => {
    fakeApi({ "GET /api/v1/me": account("monitor"), ...reads });
    renderAt("/groups", { language: "ar", digits: "arab" });
    const table = await screen.findByRole("table", { name: ar.groups.title });
    expect(document.documentElement.dir).toBe("rtl");
    fireEvent.click(
      within(table).getByRole("button", { name: ar.groups.open.replace("{{code}}", "GRP-12") }),
    );
    await screen.findByRole("table", { name: ar.groups.declarations });
    expect(screen.queryByRole("button", { name: ar.groups.transform })).toBeNull();
    expect(screen.queryByRole("button", { name: ar.groups.declare })).toBeNull();
    expect(screen.queryByRole("button", { name: ar.groups.register })).toBeNull();
  });

  it("is neither in the menu nor open to someone not signed in, and reads nothing", async () => {
    const calls = fakeApi({ "GET /api/v1/me": signedOut, ...reads });
    renderAt("/groups", { language: "en", digits: "latn" });
    expect(await screen.findByText(en.session.required)).toBeTruthy();
    const nav = screen.getByRole("navigation", { name: en.nav.label });
    expect(within(nav).queryByRole("link", { name: en.nav.groups })).toBeNull();
    expect(calls.some((c) => c.startsWith("GET /api/v1/groups"))).toBe(false);
  });
});
