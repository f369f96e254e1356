import { type Actor, inScope, Problem, parseReceiptNumber } from "@armsledger/core";
import { encodeBase64, formatTlogProof, fromHex, parseTilePath } from "@armsledger/ledger";
import { desc, eq } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { logRequestRead } from "../../access/read-audit.ts";
import { findPrivatePart } from "../../crypto/private-part.ts";
import { latestCheckpoint, latestCosignedCheckpoint } from "../../log/checkpointer.ts";
import { entryBundle } from "../../log/entries.ts";
import { consistencyProofFromTiles, findTileData, inclusionProofFromTiles } from "../../log/tile-store.ts";
import type { Store } from "../../store/database.ts";
import * as t from "../../store/schema.ts";
import { checkWitnessed, type WitnessPolicy } from "../../witness/policy.ts";
import { actorOfRequest } from "../access.ts";

const IMMUTABLE = "public, max-age=31536000, immutable";
const FRESH = "no-cache";

/** What the server knows of its log's trust: its public key and the witness policy, when configured. */
export interface LedgerTrust {
  logVerifierKey: string;
  policy?: WitnessPolicy | undefined;
}

export const logRoutes =
  (store: Store, trust?: LedgerTrust): FastifyPluginAsyncZod =>
  async (app) => {
    /** The latest checkpoint, with the witnesses' cosignatures received for it. */
    async function currentCheckpoint() {
      const latest = await latestCosignedCheckpoint(store.db);
      if (!latest)
        throw new Problem(
          "resource.not-found",
          "The log has not issued a checkpoint yet; try again in a second.",
        );
      return latest;
    }

    // C2SP tlog-tiles: the log as static-looking resources any transparency-log tool can read.
    app.get(
      "/log/checkpoint",
      {
        config: { action: "public" },
        schema: {
          tags: ["ledger"],
          summary: "The latest signed checkpoint (C2SP tlog-checkpoint), with cosignatures",
        },
      },
      async (_request, reply) => {
        const checkpoint = await currentCheckpoint();
        return reply.type("text/plain; charset=utf-8").header("cache-control", FRESH).send(checkpoint.note);
      },
    );

    app.get(
      "/log/tile/*",
      {
        config: { action: "public" },
        schema: { tags: ["ledger"], summary: "A tile or an entry bundle (C2SP tlog-tiles)" },
      },
      async (request, reply) => {
        const path = `tile/${(request.params as { "*": string })["*"]}`;
        let parsed: ReturnType<typeof parseTilePath>;
        try {
          parsed = parseTilePath(path);
        } catch {
          throw new Problem("resource.not-found", `${path} is not a tile path of this log.`);
        }
        const latest = await latestCheckpoint(store.db);
        const size = latest?.size ?? 0;
        let data: Uint8Array | undefined;
        if (parsed.kind === "entries") {
          if (parsed.index * 256 + parsed.width <= size)
            data = await entryBundle(store.db, parsed.index, parsed.width);
        } else {
          data = await findTileData(store.db, parsed);
        }
        if (!data) throw new Problem("resource.not-found", `${path} does not exist (yet).`);
        return reply
          .type("application/octet-stream")
          .header("cache-control", parsed.width === 256 ? IMMUTABLE : "public, max-age=60")
          .send(Buffer.from(data));
      },
    );

    const proofAnswer = z.object({ size: z.number(), rootHash: z.string(), proof: z.array(z.string()) });

    app.get(
      "/api/v1/ledger/checkpoint",
      {
        config: { action: "public" },
        schema: {
          tags: ["ledger"],
          summary: "The latest checkpoint as JSON, with the log's key and whether the witness quorum holds",
          response: {
            200: z.object({
              origin: z.string(),
              size: z.number(),
              rootHash: z.string(),
              note: z.string(),
              issuedAt: z.string(),
              logVerifierKey: z.string().nullable(),
              witnessed: z.boolean().nullable(),
              verifiedWitnesses: z.array(z.string()),
              missingWitnesses: z.array(z.string()),
              // The policy's witnesses and their public keys, so that a reader checks the
              // cosignatures itself instead of taking `verifiedWitnesses` on trust.
              witnesses: z.array(z.object({ name: z.string(), verifierKey: z.string() })),
            }),
          },
        },
      },
      async () => {
        const c = await currentCheckpoint();
        const check = trust?.policy ? checkWitnessed(c.note, trust.logVerifierKey, trust.policy) : undefined;
        return {
          origin: c.note.split("\n")[0]!,
          size: c.size,
          rootHash: encodeBase64(fromHex(c.rootHash)),
          note: c.note,
          issuedAt: new Date(c.issuedAt).toISOString(),
          logVerifierKey: trust?.logVerifierKey ?? null,
          witnessed: check ? check.witnessed : null,
          verifiedWitnesses: [...(check?.verifiedWitnesses ?? [])],
          missingWitnesses: [...(check?.missing ?? [])],
          witnesses: (trust?.policy?.witnesses ?? []).map((w) => ({
            name: w.name,
            verifierKey: w.verifierKey,
          })),
        };
      },
    );

    app.get(
      "/api/v1/ledger/inclusion",
      {
        config: { action: "public" },
        schema: {
          tags: ["ledger"],
          summary: "RFC 9162 inclusion proof of a leaf in the tree of a checkpointed size",
          querystring: z.object({
            index: z.coerce.number().int().min(0),
            size: z.coerce.number().int().min(1).optional(),
          }),
          response: { 200: proofAnswer.extend({ index: z.number(), leafHash: z.string() }) },
        },
      },
      async (request) => {
        const checkpoint = await sizedCheckpoint(request.query.size);
        if (request.query.index >= checkpoint.size)
          throw new Problem(
            "resource.not-found",
            `Leaf ${request.query.index} is not in the tree of size ${checkpoint.size} yet.`,
          );
        const proof = await inclusionProofFromTiles(store.db, request.query.index, checkpoint.size);
        const [event] = await store.db
          .select({ leafHash: t.events.leafHash })
          .from(t.events)
          .where(eq(t.events.seq, request.query.index));
        return {
          index: request.query.index,
          size: checkpoint.size,
          rootHash: encodeBase64(fromHex(checkpoint.rootHash)),
          leafHash: encodeBase64(fromHex(event!.leafHash)),
          proof: proof.map(encodeBase64),
        };
      },
    );

    app.get(
      "/api/v1/ledger/consistency",
      {
        config: { action: "public" },
        schema: {
          tags: ["ledger"],
          summary: "RFC 9162 consistency proof between two checkpointed sizes",
          querystring: z.object({
            from: z.coerce.number().int().min(1),
            to: z.coerce.number().int().min(1).optional(),
          }),
          response: { 200: proofAnswer.extend({ from: z.number() }) },
        },
      },
      async (request) => {
        const checkpoint = await sizedCheckpoint(request.query.to);
        if (request.query.from > checkpoint.size)
          throw new Problem("request.invalid", "from must not be larger than to.");
        const proof = await consistencyProofFromTiles(store.db, request.query.from, checkpoint.size);
        return {
          from: request.query.from,
          size: checkpoint.size,
          rootHash: encodeBase64(fromHex(checkpoint.rootHash)),
          proof: proof.map(encodeBase64),
        };
      },
    );

    app.get(
      "/api/v1/receipts/:receiptNumber/proof",
      {
        config: { action: "public" },
        schema: {
          tags: ["ledger"],
          summary: "The portable proof (C2SP tlog-proof) that a receipt's handover is in the log",
          params: z.object({ receiptNumber: z.string().max(40) }),
        },
      },
      async (request, reply) => {
        const index = parseReceiptNumber(request.params.receiptNumber);
        if (index === undefined)
          throw new Problem(
            "request.invalid",
            "That is not a receipt number: check each digit (the last one is a check digit).",
          );
        const [handover] = await store.db
          .select({ seq: t.handovers.seq })
          .from(t.handovers)
          .where(eq(t.handovers.seq, index));
        if (!handover) throw new Problem("resource.not-found", "No handover has this receipt number.");
        const checkpoint = await currentCheckpoint();
        if (index >= checkpoint.size)
          throw new Problem(
            "resource.not-found",
            "This receipt is recorded but not yet in a checkpoint; try again in a few seconds.",
            [],
            // Retry-After tells "recorded, not yet signed" from "no such receipt" (both 404).
            2,
          );
        const proof = await inclusionProofFromTiles(store.db, index, checkpoint.size);
        const text = formatTlogProof({ index, proof, checkpoint: checkpoint.note });
        return reply
          .type("text/plain; charset=utf-8")
          .header("content-disposition", `attachment; filename="${request.params.receiptNumber}.tlog-proof"`)
          .send(text);
      },
    );

    app.get(
      "/api/v1/ledger/leaves/:index/opening",
      {
        config: { action: "leaf.open" },
        schema: {
          tags: ["ledger"],
          summary:
            "Open one leaf to an auditor: its entry, the salt and the personal part its commitment hides",
          description:
            "Anyone can then check that SHA-256(tag || salt || canonical JSON of the personal part) is the leaf's `personal` field.",
          params: z.object({ index: z.coerce.number().int().min(0) }),
          response: {
            200: z.object({
              index: z.number(),
              entry: z.string(),
              salt: z.string().nullable(),
              personal: z.record(z.string(), z.unknown()).nullable(),
            }),
          },
        },
      },
      async (request) => {
        const [event] = await store.db
          .select({ entry: t.events.entry })
          .from(t.events)
          .where(eq(t.events.seq, request.params.index));
        const notFound = () => new Problem("resource.not-found", `There is no leaf ${request.params.index}.`);
        if (!event) throw notFound();
        const [opening] = await store.db
          .select({ salt: t.eventPrivate.salt })
          .from(t.eventPrivate)
          .where(eq(t.eventPrivate.seq, request.params.index));
        const json = await findPrivatePart(store, request.params.index);
        const personal = json ? (JSON.parse(json) as Record<string, unknown>) : null;
        // A leaf's personal part outside the opener's scope: answered as a leaf that does not exist.
        if (!(await mayOpen(actorOfRequest(request), personal))) throw notFound();
        // Opening a leaf reveals its personal part: logged as a read of the event, and of the
        // person when the part names one.
        await logRequestRead(store, request, "event", [String(request.params.index)]);
        if (typeof personal?.personId === "string")
          await logRequestRead(store, request, "person", [personal.personId]);
        return { index: request.params.index, entry: event.entry, salt: opening?.salt ?? null, personal };
      },
    );

    /**
     * May this account see a leaf's personal part? Unlimited scope: always. Limited: when there is
     * none, or it names a person in scope; a part that names no one (officers, escorts, payment
     * lines) cannot be placed in a scope, so it stays closed to a limited account.
     */
    async function mayOpen(actor: Actor, personal: Record<string, unknown> | null): Promise<boolean> {
      if (actor.scope.sites === "all" && actor.scope.governorates === "all") return true;
      if (personal === null) return true;
      if (typeof personal.personId !== "string") return false;
      const [person] = await store.db
        .select({ siteId: t.persons.siteId, governorate: t.persons.governorate })
        .from(t.persons)
        .where(eq(t.persons.id, personal.personId));
      return person !== undefined && inScope(actor.scope, person);
    }

    async function sizedCheckpoint(size: number | undefined) {
      if (size === undefined) return currentCheckpoint();
      const [row] = await store.db
        .select()
        .from(t.checkpoints)
        .where(eq(t.checkpoints.size, size))
        .orderBy(desc(t.checkpoints.size));
      if (!row) throw new Problem("resource.not-found", `The log issued no checkpoint of size ${size}.`);
      return row;
    }
  };
