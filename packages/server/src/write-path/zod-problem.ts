import { Problem, type ProblemField } from "@armsledger/core";
import type { z } from "zod";

export function fieldsOf(error: z.ZodError, prefix: string): ProblemField[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
}

/** Parses with a schema, or throws a Problem naming every field that is wrong. */
export function parseOrProblem<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix: string,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldsOf(result.error, prefix);
  const first = fields[0];
  throw new Problem(
    "request.invalid",
    `${what} is not valid: ${first ? `${first.path || "body"} ${first.message}` : "check the fields"}${fields.length > 1 ? ` (and ${fields.length - 1} more)` : ""}.`,
    fields,
  );
}
