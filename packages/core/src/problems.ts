/**
 * The catalogue of problems a user can meet, each with a stable code (clients and the offline
 * queue branch on the code, never on the wording) and the HTTP status it maps to. Every message
 * says what was wrong and what to do about it.
 */
export const problemCatalogue = {
  "request.invalid": { status: 400, title: "The request is not valid" },
  "request.malformed": { status: 400, title: "The request body could not be read" },
  "request.too-large": { status: 413, title: "The request body is too large" },
  "request.unsupported-media-type": { status: 415, title: "The request body has an unsupported type" },
  "auth.required": { status: 401, title: "Sign in first" },
  "auth.invalid-credentials": { status: 401, title: "The user name or password is wrong" },
  "auth.forbidden": { status: 403, title: "Your role may not do this" },
  "auth.out-of-scope": { status: 403, title: "This record is outside your scope" },
  "auth.locked": { status: 429, title: "Too many failed sign-ins for this account" },
  "auth.code-required": { status: 401, title: "A one-time code from the authenticator app is needed" },
  "auth.code-invalid": { status: 401, title: "The one-time code is wrong or was already used" },
  "auth.second-factor-required": { status: 403, title: "Set up a second factor before going on" },
  "request.rate-limited": { status: 429, title: "Too many requests" },
  "request.cross-site": { status: 403, title: "The request came from another web site" },
  "resource.not-found": { status: 404, title: "Not found" },
  "command.conflict": { status: 409, title: "This command id was already used for a different command" },
  "rule.violated": { status: 422, title: "The command breaks a programme rule" },
  "serial.placeholder": { status: 422, title: "A placeholder is not a serial number" },
  "reference.unknown": { status: 422, title: "The command refers to a record that does not exist" },
  "tag.in-use": { status: 422, title: "This tag is already on another item" },
  "store.unavailable": { status: 503, title: "The database is not available" },
  "store.full": { status: 507, title: "The database's disk is full" },
  internal: { status: 500, title: "Something went wrong on the server" },
  // A reason for reading a person (break the glass) sent in the URL, where proxies and access logs
  // keep it: refused, so no client silently sends reasons there.
  "request.reason-in-url": { status: 400, title: "A reason must not be sent in the URL" },
} as const;

export type ProblemCode = keyof typeof problemCatalogue;

export interface ProblemField {
  /** JSON pointer-like path of the offending field, e.g. "payload.weapons.0.serial". */
  path: string;
  message: string;
}

/** A refusal the user can act on. Thrown by rules and the store; rendered as RFC 9457 problem+json. */
export class Problem extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly title: string;
  readonly fields: ProblemField[];
  /** When to try again (sent as Retry-After), for refusals that pass with time. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ProblemCode, detail: string, fields: ProblemField[] = [], retryAfterSeconds?: number) {
    super(detail);
    this.retryAfterSeconds = retryAfterSeconds;
    this.name = "Problem";
    this.code = code;
    this.status = problemCatalogue[code].status;
    this.title = problemCatalogue[code].title;
    this.fields = fields;
  }
}

export function isProblem(error: unknown): error is Problem {
  return error instanceof Problem;
}
