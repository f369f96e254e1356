import { isProblem, Problem, type ProblemCode, type ProblemField, problemCatalogue } from "@armsledger/core";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { isConnectionLoss, isDiskFull } from "../store/database.ts";

export const PROBLEM_BASE = "https://armsledger.org/problems/";

/** RFC 9457 problem details, with our stable code and the offending fields. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance?: string;
  errors?: ProblemField[];
}

export function problemBody(problem: Problem, instance?: string): ProblemBody {
  return {
    type: PROBLEM_BASE + problem.code,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    code: problem.code,
    ...(instance ? { instance } : {}),
    ...(problem.fields.length > 0 ? { errors: problem.fields } : {}),
  };
}

// Data the database refuses to store: NUL in text (22021) or \u0000 in jsonb (22P05). They come
// from the request (a field no rule checked), so they are the caller's to fix, not a server fault.
const UNSTORABLE_TEXT = new Set(["22021", "22P05"]);

function isUnstorableText(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: string }).code;
    if (code && UNSTORABLE_TEXT.has(code)) return true;
  }
  return false;
}

/** Maps anything thrown while handling a request to a Problem the user can act on. */
export function toProblem(error: unknown): Problem {
  if (isProblem(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields = error.validation.map((v) => ({
      path: [error.validationContext, ...String(v.instancePath).split("/").filter(Boolean)].join("."),
      message: v.message ?? "is not valid",
    }));
    return new Problem(
      "request.invalid",
      `The request is not valid: ${fields[0]?.path ?? ""} ${fields[0]?.message ?? ""}`.trim(),
      fields,
    );
  }
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new Problem(
        "request.too-large",
        "The request body is larger than the server accepts. Send fewer items per command, and photos separately.",
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new Problem("request.unsupported-media-type", "Send the body as application/json.");
    case "FST_ERR_BAD_URL":
      // A path whose %-escapes do not decode (e.g. "/persons/%zz"): the router cannot read it.
      return new Problem("request.invalid", "The URL is not valid: a %-escape in its path does not decode.", [
        { path: "url", message: "a %-escape does not decode" },
      ]);
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new Problem(
        "request.malformed",
        "The body is not valid JSON. Check quotes, commas and brackets.",
      );
  }
  if (error instanceof SyntaxError || fastifyError.statusCode === 400)
    return new Problem(
      "request.malformed",
      "The body could not be read as JSON. Check quotes, commas and brackets.",
    );
  if (isUnstorableText(error))
    return new Problem(
      "request.invalid",
      "The request contains a character that cannot be stored (NUL, U+0000). Remove it and send again.",
    );
  if (isDiskFull(error))
    return new Problem(
      "store.full",
      "The server's disk is full, so nothing was recorded. An administrator must free space; then send the command again with the same command id.",
      [],
      // Freeing space takes a person: not worth retrying every few seconds.
      60,
    );
  if (isConnectionLoss(error))
    return new Problem(
      "store.unavailable",
      "The database cannot be reached. Try again in a moment; a command sent again with the same command id is never recorded twice.",
    );
  return new Problem(
    "internal",
    "The server failed while handling this request. Nothing was recorded; report the time to an administrator.",
  );
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: Problem) {
  const retryAfter = problem.retryAfterSeconds ?? (problem.code === "store.unavailable" ? 5 : undefined);
  if (retryAfter !== undefined) reply.header("retry-after", String(Math.max(1, Math.ceil(retryAfter))));
  return reply
    .code(problem.status)
    .type("application/problem+json")
    .send(problemBody(problem, request.url.split("?")[0]));
}

export const problemCodes = Object.keys(problemCatalogue) as ProblemCode[];
