import type { ProblemCode } from "@armsledger/core";
import { ApiError } from "../api/client.ts";

// One map of what is wrong with the form, keyed by the path the API uses for a field
// ("payload.weapons.0.serial"): the browser's own check (core's zod schema, the same the server
// parses with) and the server's refusal land in the same place, next to the same field.

export interface FieldError {
  /** The problem code when the server refused; undefined when the browser's check caught it. */
  code: ProblemCode | undefined;
  message: string;
  /** The field was left empty (said as "required" rather than with the schema's wording). */
  missing: boolean;
}

export type FieldErrors = Record<string, FieldError>;

const at = (value: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as never)[key] : undefined), value);

/** The schema's issues, by the path the server would name them with (`payload.` + the issue's path). */
export function schemaErrors(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  payload: unknown,
): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = ["payload", ...issue.path.map(String)].join(".");
    if (out[path]) continue;
    const value = at(payload, issue.path);
    out[path] = { code: undefined, message: issue.message, missing: value === undefined || value === "" };
  }
  return out;
}

/** The fields a refusal names, each with the refusal's code. */
export function serverErrors(error: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (!(error instanceof ApiError) || error.code === "network") return out;
  for (const f of error.fields) out[f.path] ??= { code: error.code, message: f.message, missing: false };
  return out;
}

/** Errors for paths no field of the form shows (the notice above the form lists them). */
export function unplaced(errors: FieldErrors, shown: (path: string) => boolean): [string, FieldError][] {
  return Object.entries(errors).filter(([path]) => !shown(path));
}
