import { Problem } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { queueKeyOf } from "../../access/queue-key.ts";
import { logRequestRead } from "../../access/read-audit.ts";
import { FILE_MAX_BYTES, getFileFor, PHOTO_TYPES, personsWithPhoto, storeFile } from "../../files/store.ts";
import type { Store } from "../../store/database.ts";
import { accountOf } from "../access.ts";

const sha256Param = z.object({
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/u, "must be the SHA-256 (64 lower-case hexadecimal digits) of a file"),
});

const storedView = z.object({
  sha256: z.string(),
  contentType: z.enum(PHOTO_TYPES),
  size: z.int(),
  created: z.boolean(),
});

/**
 * Photos (issue 6): uploaded as raw bytes (a camera's JPEG would grow by a third as base64 over a
 * slow field link) before the command that refers to them by SHA-256; read back by the uploader
 * or an administrator. And the key of the browser's offline queue.
 */
export const fileRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    // This plugin's own parser: any declared type is read as bytes, and the bytes decide (a JSON
    // body still meets the app's JSON parser, and is refused below as not a photo).
    app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: FILE_MAX_BYTES }, (_request, body, done) =>
      done(null, body),
    );

    app.post(
      "/api/v1/files",
      {
        config: { action: "file.upload" },
        bodyLimit: FILE_MAX_BYTES,
        schema: {
          tags: ["files"],
          summary:
            "Upload a photo (JPEG, PNG or WebP, at most 10 MiB): answers its SHA-256, the `fileRef` commands use",
          description:
            "Send the photo's bytes as the body (Content-Type image/jpeg, image/png, image/webp or application/octet-stream; the type is read from the bytes). The same bytes again store nothing new and answer the same reference (200 instead of 201).",
          response: { 200: storedView, 201: storedView },
        },
      },
      async (request, reply) => {
        if (!(request.body instanceof Buffer))
          throw new Problem(
            "request.unsupported-media-type",
            "Send the photo's bytes as the body (image/jpeg, image/png or image/webp), not JSON.",
          );
        const stored = await storeFile(store, new Uint8Array(request.body), accountOf(request).id);
        return reply.code(stored.created ? 201 : 200).send(stored);
      },
    );

    app.get(
      "/api/v1/files/:sha256",
      {
        config: { action: "file.read" },
        schema: {
          tags: ["files"],
          summary:
            "A stored photo, for the account that uploaded it or an administrator (404 for anyone else)",
          params: sha256Param,
          produces: [...PHOTO_TYPES],
        },
      },
      async (request, reply) => {
        const account = accountOf(request);
        const { sha256 } = request.params;
        const file = await getFileFor(
          store,
          { accountId: account.id, isAdmin: account.role === "admin" },
          sha256,
        );
        // A person's photo shows the person: reading it is a read of their record.
        const persons = await personsWithPhoto(store, sha256);
        if (persons.length > 0) await logRequestRead(store, request, "person", persons);
        return reply
          .type(file.contentType)
          .header("cache-control", "private, no-store")
          .header("x-content-type-options", "nosniff")
          .send(Buffer.from(file.content));
      },
    );

    app.get(
      "/api/v1/me/queue-key",
      {
        config: { action: "queue.key" },
        schema: {
          tags: ["access"],
          summary:
            "The key that encrypts your browser's offline queue (AES-256, base64url); the same each session",
          description:
            "The browser keeps it in memory only, as a non-extractable key: after signing out or closing the browser, what the queue holds on the device cannot be read until this account signs in again.",
          response: { 200: z.object({ key: z.string(), algorithm: z.literal("AES-GCM") }) },
        },
      },
      async (request, reply) => {
        reply.header("cache-control", "no-store");
        const key = await queueKeyOf(store, accountOf(request).id);
        return { key: Buffer.from(key).toString("base64url"), algorithm: "AES-GCM" as const };
      },
    );
  };
