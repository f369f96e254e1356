import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Action, actions, authorize, inScope, policy, roleMay } from "../src/access/policy.ts";
import { type Role, roles, scope, unlimitedScope } from "../src/access/roles.ts";
import { commandDefinitions } from "../src/commands/registry.ts";
import { Problem } from "../src/problems.ts";
import { ids } from "./fixtures.ts";
import { makeActor } from "./memory-view.ts";

function refusal(f: () => void): Problem {
  try {
    f();
  } catch (e) {
    if (e instanceof Problem) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

const registrar = makeActor("registrar", { sites: [ids.site], governorates: ["IQ-BG"] });

describe("roleMay", () => {
  it("denies by default: an action no one listed, or a role no one knows", () => {
    expect(roleMay("admin", "person.delete" as Action)).toBe(false);
    expect(roleMay("admin", "toString" as Action)).toBe(false);
    expect(roleMay("admin", "__proto__" as Action)).toBe(false);
    expect(roleMay("superuser" as Role, "programme.read")).toBe(false);
    expect(roleMay("" as Role, "self.read")).toBe(false);
  });

  it("lets the admin take every action", () => {
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(roleMay("admin", action), action).toBe(true);
  });

  it("never lets a monitor write", () => {
    for (const def of commandDefinitions) expect(roleMay("monitor", def.action), def.action).toBe(false);
  });

  it("lets only admins, registrars and case workers read people", () => {
    expect(roles.filter((r) => roleMay(r, "person.read"))).toEqual(["admin", "registrar", "case_worker"]);
  });

  it("lets registrars register people and record handovers, but not configure the programme", () => {
    expect(roleMay("registrar", "person.register")).toBe(true);
    expect(roleMay("registrar", "handover.record")).toBe(true);
    expect(roleMay("registrar", "record.correct")).toBe(true);
    expect(roleMay("registrar", "programme.configure")).toBe(false);
    expect(roleMay("registrar", "group.register")).toBe(false);
    expect(roleMay("registrar", "user.manage")).toBe(false);
  });

  it("names an action in the policy for every command", () => {
    for (const def of commandDefinitions) expect(actions).toContain(def.action);
  });

  it("agrees with the policy table for every role and action (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...roles), fc.constantFrom(...actions), (role, action) => {
        expect(roleMay(role, action)).toBe((policy[action].roles as readonly string[]).includes(role));
      }),
    );
  });
});

describe("authorize", () => {
  it("refuses a monitor registering a person as forbidden", () => {
    const problem = refusal(() => authorize(makeActor("monitor"), "person.register", { siteId: ids.site }));
    expect(problem.code).toBe("auth.forbidden");
    expect(problem.status).toBe(403);
    expect(problem.message).toContain("monitor");
  });

  it("refuses an action no one listed as forbidden, even to the admin", () => {
    expect(refusal(() => authorize(makeActor("admin"), "person.delete" as Action)).code).toBe(
      "auth.forbidden",
    );
  });

  it("refuses a registrar outside their sites as out of scope", () => {
    const problem = refusal(() => authorize(registrar, "person.register", { siteId: ids.mobile }));
    expect(problem.code).toBe("auth.out-of-scope");
    expect(problem.status).toBe(403);
  });

  it("refuses a registrar outside their governorates as out of scope", () => {
    expect(
      refusal(() => authorize(registrar, "handover.record", { siteId: ids.site, governorate: "IQ-NI" })).code,
    ).toBe("auth.out-of-scope");
  });

  it("lets a registrar act at their own site", () => {
    expect(() => authorize(registrar, "person.register", { siteId: ids.site })).not.toThrow();
    expect(() =>
      authorize(registrar, "handover.record", { siteId: ids.site, governorate: "IQ-BG" }),
    ).not.toThrow();
  });

  it("checks the role before the scope", () => {
    expect(refusal(() => authorize(registrar, "group.register", { siteId: ids.mobile })).code).toBe(
      "auth.forbidden",
    );
  });

  it("applies the scope to admins too", () => {
    const admin = makeActor("admin", { sites: [ids.site], governorates: "all" });
    expect(refusal(() => authorize(admin, "person.read", { siteId: ids.depot })).code).toBe(
      "auth.out-of-scope",
    );
    expect(() => authorize(makeActor("admin"), "person.read", { siteId: ids.depot })).not.toThrow();
  });

  it("lets programme-wide actions through whatever the scope", () => {
    expect(() => authorize(registrar, "programme.read")).not.toThrow();
    expect(() => authorize(registrar, "programme.read", {})).not.toThrow();
  });

  it("lets the admin with unlimited scope take every action anywhere", () => {
    const admin = makeActor("admin", unlimitedScope);
    for (const action of actions)
      expect(() => authorize(admin, action, { siteId: ids.mobile, governorate: "IQ-AN" })).not.toThrow();
  });

  it("throws exactly when the role may not or the target lies outside the scope (property)", () => {
    const site = fc.constantFrom(ids.site, ids.depot, ids.mobile);
    const governorate = fc.constantFrom("IQ-BG", "IQ-NI", "IQ-AN");
    fc.assert(
      fc.property(
        fc.constantFrom(...roles),
        fc.constantFrom(...actions),
        fc.oneof(fc.constant("all" as const), fc.uniqueArray(site, { maxLength: 3 })),
        fc.oneof(fc.constant("all" as const), fc.uniqueArray(governorate, { maxLength: 3 })),
        fc.record({
          siteId: fc.option(site, { nil: undefined }),
          governorate: fc.option(governorate, { nil: undefined }),
        }),
        (role, action, sites, governorates, target) => {
          const actor = makeActor(role, scope.parse({ sites, governorates }));
          const allowedRole = roleMay(role, action);
          const siteOk = !target.siteId || sites === "all" || sites.includes(target.siteId);
          const govOk =
            !target.governorate || governorates === "all" || governorates.includes(target.governorate);
          let code: string | undefined;
          try {
            authorize(actor, action, target);
          } catch (e) {
            code = (e as Problem).code;
          }
          expect(code).toBe(
            !allowedRole ? "auth.forbidden" : siteOk && govOk ? undefined : "auth.out-of-scope",
          );
        },
      ),
    );
  });
});

describe("inScope", () => {
  it("places a record with no site or governorate in every scope", () => {
    expect(inScope({ sites: [], governorates: [] }, {})).toBe(true);
  });

  it("refuses an empty list of sites for a sited record", () => {
    expect(inScope({ sites: [], governorates: "all" }, { siteId: ids.site })).toBe(false);
    expect(inScope({ sites: "all", governorates: [] }, { governorate: "IQ-BG" })).toBe(false);
  });
});
