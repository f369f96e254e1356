import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FILE_MAX_BYTES } from "../../src/files/store.ts";
import * as t from "../../src/store/schema.ts";
import { personPayload } from "../support/fixtures.ts";
import { type Api, counts, expectProblem, startApi, type Who } from "./support.ts";

// POST /api/v1/files and GET /api/v1/files/:sha256 (photos that travel with commands, issue 6)
// and GET /api/v1/me/queue-key, through the real HTTP API.

// The smallest real images of each accepted type (their magic bytes are what is checked).
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const jpeg = Buffer.from([
  0xff,
  0xd8,
  0xff,
  0xe0,
  0x00,
  0x10,
  0x4a,
  0x46,
  0x49,
  0x46,
  0x00,
  0x01,
  ...Array(64).fill(0),
]);
const webp = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.from([0x1a, 0, 0, 0]),
  Buffer.from("WEBPVP8L"),
  Buffer.from([0x0d, 0, 0, 0, 0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0]),
]);
const pdf = Buffer.from("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

let api: Api;
beforeAll(async () => {
  api = await startApi({ seed: true });
});
afterAll(() => api.store.dispose());

const upload = (who: Who, body: Buffer | string, type = "image/png") =>
  api.send(who, { method: "POST", url: "/api/v1/files", headers: { "content-type": type }, payload: body });
const read = (who: Who, hash: string) => api.send(who, { method: "GET", url: `/api/v1/files/${hash}` });

describe("POST /api/v1/files", () => {
  it("stores a photo under its SHA-256, once, whoever sends it again", async () => {
    const first = await upload("registrar", png);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({
      sha256: sha(png),
      contentType: "image/png",
      size: png.length,
      created: true,
    });
    const before = await counts(api.store);
    const again = await upload("registrar", png);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), created: false });
    expect(await counts(api.store)).toEqual(before);
    // Another account with the same bytes: no second file, one more uploader.
    const other = await upload("custodian", png, "application/octet-stream");
    expect(other.statusCode).toBe(200);
    const rows = await api.store.db
      .select()
      .from(t.files)
      .where(eq(t.files.sha256, sha(png)));
    expect(rows).toHaveLength(1);
    // Sealed at rest (a person's photo is personal data): the stored bytes are not the photo.
    const stored = Buffer.from(rows[0]!.content);
    expect(stored.includes(png)).toBe(false);
    expect(stored.subarray(0, 3).toString()).toBe("v1:");
    const keys = await api.store.personal.keys();
    const opened = keys.decryptBytes(stored, { table: "files", column: "content", row: sha(png) });
    expect(Buffer.from(opened!).equals(png)).toBe(true);
    // Bound to its file: the same bytes under another SHA-256 do not open.
    expect(() =>
      keys.decryptBytes(stored, { table: "files", column: "content", row: "0".repeat(64) }),
    ).toThrow(/altered, or moved/);
    const uploads = await api.store.db
      .select()
      .from(t.fileUploads)
      .where(eq(t.fileUploads.sha256, sha(png)));
    expect(uploads).toHaveLength(2);
  });

  it("reads the type from the bytes: JPEG and WebP accepted whatever is declared", async () => {
    const j = await upload("registrar", jpeg, "application/octet-stream");
    expect(j.statusCode, j.body).toBe(201);
    expect(j.json().contentType).toBe("image/jpeg");
    const w = await upload("registrar", webp, "image/jpeg");
    expect(w.statusCode, w.body).toBe(201);
    expect(w.json()).toMatchObject({ contentType: "image/webp", sha256: sha(webp) });
  });

  it("refuses what is not a photo, an empty body, JSON and a file over the limit, storing nothing", async () => {
    const before = await counts(api.store);
    const wrong = expectProblem(
      await upload("registrar", pdf, "image/jpeg"),
      "request.unsupported-media-type",
    );
    expect(wrong.detail).toContain("application/pdf");
    expectProblem(
      await upload("registrar", Buffer.from("just text, no magic"), "image/png"),
      "request.unsupported-media-type",
    );
    expectProblem(await upload("registrar", Buffer.alloc(0)), "request.invalid");
    expectProblem(
      await api.send("registrar", { method: "POST", url: "/api/v1/files", payload: { photo: "abc" } }),
      "request.unsupported-media-type",
    );
    const big = Buffer.concat([png, Buffer.alloc(FILE_MAX_BYTES)]);
    expectProblem(await upload("registrar", big), "request.too-large");
    expect(await counts(api.store)).toEqual(before);
  });

  it("answers any bytes with a stored photo or a 4xx, never a server error (property)", async () => {
    const magic = [png.subarray(0, 8), jpeg.subarray(0, 4), webp.subarray(0, 16), Buffer.alloc(0)];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...magic),
        fc.uint8Array({ maxLength: 512 }),
        fc.constantFrom("image/png", "image/jpeg", "application/octet-stream", "text/plain"),
        async (head, tail, declared) => {
          const body = Buffer.concat([head, tail]);
          const res = await upload("registrar", body, declared);
          if (res.statusCode >= 300) {
            expect([400, 415]).toContain(res.statusCode);
            return;
          }
          expect(res.json()).toMatchObject({ sha256: sha(body), size: body.length });
          expect(["image/png", "image/jpeg", "image/webp"]).toContain(res.json().contentType);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("is refused to those who may not send commands, and to nobody signed in", async () => {
    expectProblem(await upload("monitor", png), "auth.forbidden");
    expectProblem(await upload("analyst", png), "auth.forbidden");
    expectProblem(await upload("anonymous", png), "auth.required");
  });
});

describe("GET /api/v1/files/:sha256", () => {
  it("answers the bytes to their uploader and to an administrator, 404 to anyone else", async () => {
    const photo = Buffer.concat([png, Buffer.from("registrar's own")]);
    expect((await upload("registrar", photo)).statusCode).toBe(201);
    for (const who of ["registrar", "registrar_token", "admin"] as const) {
      const res = await read(who, sha(photo));
      expect(res.statusCode, `${who}: ${res.body.slice(0, 200)}`).toBe(200);
      expect(res.headers["content-type"]).toBe("image/png");
      expect(res.headers["cache-control"]).toContain("no-store");
      expect(res.rawPayload.equals(photo)).toBe(true);
    }
    // Another registrar: the same answer as for a file nobody uploaded.
    expectProblem(await read("registrar_b", sha(photo)), "resource.not-found");
    expectProblem(await read("registrar", "0".repeat(64)), "resource.not-found");
    expectProblem(await read("registrar", "NOT-A-HASH"), "request.invalid");
    expectProblem(await read("monitor", sha(photo)), "auth.forbidden");
  });

  it("logs the read of a person's photo as a read of their record", async () => {
    const face = Buffer.concat([png, Buffer.from("a face")]);
    expect((await upload("registrar", face)).statusCode).toBe(201);
    const personId = (
      await api.ok("registrar", "person.register", { ...personPayload(api.seed.siteA), photo: sha(face) })
    ).personId as string;
    const before = (await api.store.db.select().from(t.accessLog)).length;
    expect((await read("admin", sha(face))).statusCode).toBe(200);
    const rows = (await api.store.db.select().from(t.accessLog).orderBy(t.accessLog.id)).slice(before);
    expect(rows).toEqual([
      expect.objectContaining({
        action: "file.read",
        subjectId: personId,
        channel: "GET /api/v1/files/:sha256",
      }),
    ]);
  });
});

describe("GET /api/v1/me/queue-key", () => {
  it("answers each account its own key, the same every session, never cached", async () => {
    const first = await api.send("registrar", { method: "GET", url: "/api/v1/me/queue-key" });
    expect(first.statusCode).toBe(200);
    expect(first.headers["cache-control"]).toBe("no-store");
    const { key, algorithm } = first.json();
    expect(algorithm).toBe("AES-GCM");
    expect(Buffer.from(key, "base64url")).toHaveLength(32);
    const cookie = await api.login(api.username("registrar"));
    const again = await api.app.inject({ method: "GET", url: "/api/v1/me/queue-key", headers: { cookie } });
    expect(again.json().key).toBe(key);
    const other = await api.send("registrar_b", { method: "GET", url: "/api/v1/me/queue-key" });
    expect(other.json().key).not.toBe(key);
    // Sealed at rest under the data key, never the key itself.
    const [row] = await api.store.db.select().from(t.queueKeys).limit(1);
    expect(Buffer.from(row!.key).includes(Buffer.from(key, "base64url"))).toBe(false);
    expect(Buffer.from(row!.key).includes(Buffer.from(other.json().key, "base64url"))).toBe(false);
    expectProblem(
      await api.send("monitor", { method: "GET", url: "/api/v1/me/queue-key" }),
      "auth.forbidden",
    );
    expectProblem(
      await api.send("anonymous", { method: "GET", url: "/api/v1/me/queue-key" }),
      "auth.required",
    );
  });
});
