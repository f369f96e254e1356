import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, createUser } from "../src/index.ts";
import { executeCommand } from "../src/write-path/execute.ts";
import {
  admin,
  command,
  groupPayload,
  handoverPayload,
  personPayload,
  programmePayload,
  sitePayload,
} from "./support/fixtures.ts";
import { freshStore } from "./support/store.ts";

let store: Awaited<ReturnType<typeof freshStore>>;
let app: Awaited<ReturnType<typeof buildApp>>;
let handoverId: string;
let receiptNumber: string;
let tags: string[];
const cookies: Record<string, string> = {};

async function login(username: string, role: string, scope?: unknown) {
  const password = "a long enough password";
  await createUser(store, {
    username,
    displayName: username,
    password,
    role: role as never,
    ...(scope ? { scope: scope as never } : {}),
  });
  const r = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { username, password } });
  cookies[username] = String(r.headers["set-cookie"]).split(";")[0]!;
}

beforeAll(async () => {
  store = await freshStore();
  app = await buildApp({ store });
  const groupId = (await executeCommand(store, command("group.register", groupPayload()), admin)).data
    .groupId as string;
  const siteId = (await executeCommand(store, command("site.register", sitePayload()), admin)).data
    .siteId as string;
  const otherSite = (await executeCommand(store, command("site.register", sitePayload("BSR-01")), admin)).data
    .siteId as string;
  await executeCommand(store, command("programme.configure", programmePayload()), admin);
  const personId = (
    await executeCommand(store, command("person.register", personPayload(siteId, groupId)), admin)
  ).data.personId as string;
  const h = await executeCommand(store, command("handover.record", handoverPayload(siteId, personId)), admin);
  handoverId = h.data.handoverId as string;
  receiptNumber = h.data.receiptNumber as string;
  tags = [...(h.data.weapons as { tag: string }[]), ...(h.data.ammunition as { tag: string }[])].map(
    (i) => i.tag,
  );
  await login("registrar", "registrar", { sites: [siteId], governorates: "all" });
  await login("elsewhere", "registrar", { sites: [otherSite], governorates: "all" });
  await login("analyst", "analyst");
});
afterAll(async () => {
  await app.close();
  await store.dispose();
});

describe("GET /api/v1/handovers/:id/receipt.pdf", () => {
  it("prints the receipt for the registrar of the site", async () => {
    const r = await app.inject({
      method: "GET",
      url: `/api/v1/handovers/${handoverId}/receipt.pdf`,
      headers: { cookie: cookies.registrar! },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("application/pdf");
    expect(r.headers["content-disposition"]).toContain(`${receiptNumber}.pdf`);
    expect(r.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
  });
  it("answers a registrar of another site as if the handover did not exist", async () => {
    const r = await app.inject({
      method: "GET",
      url: `/api/v1/handovers/${handoverId}/receipt.pdf`,
      headers: { cookie: cookies.elsewhere! },
    });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe("resource.not-found");
  });
  it("refuses roles that do not print receipts", async () => {
    const r = await app.inject({
      method: "GET",
      url: `/api/v1/handovers/${handoverId}/receipt.pdf`,
      headers: { cookie: cookies.analyst! },
    });
    expect(r.statusCode).toBe(403);
  });
});

describe("GET /api/v1/handovers/:id/labels.pdf", () => {
  const get = (cookie: string, query = "") =>
    app.inject({
      method: "GET",
      url: `/api/v1/handovers/${handoverId}/labels.pdf${query}`,
      headers: { cookie },
    });
  const mm = (n: number) => (n * 72) / 25.4;
  /** The MediaBox of every page (page dictionaries are not compressed, only their content). */
  const pages = (pdf: Buffer) =>
    [...pdf.toString("latin1").matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/gu)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);

  it("prints one label per item, 62 x 29 mm unless another roll size is asked", async () => {
    const r = await get(cookies.registrar!);
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("application/pdf");
    expect(r.headers["content-disposition"]).toContain(`labels-${receiptNumber}.pdf`);
    const sizes = pages(r.rawPayload);
    expect(sizes).toHaveLength(tags.length);
    for (const [w, h] of sizes) {
      expect(w).toBeCloseTo(mm(62), 1);
      expect(h).toBeCloseTo(mm(29), 1);
    }
    const big = pages((await get(cookies.registrar!, "?size=101x51")).rawPayload);
    expect(big[0]![0]).toBeCloseTo(mm(101), 1);
    expect(big[0]![1]).toBeCloseTo(mm(51), 1);
  });

  it("refuses a roll size it does not know, another site's registrar and roles that do not print", async () => {
    const bad = await get(cookies.registrar!, "?size=A4");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe("request.invalid");
    expect((await get(cookies.elsewhere!)).statusCode).toBe(404);
    expect((await get(cookies.analyst!)).statusCode).toBe(403);
  });
});
