import { Problem } from "@armsledger/core";
import { and, desc, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { FastifyRequest } from "fastify";
import type { Db, Store } from "../store/database.ts";
import * as t from "../store/schema.ts";

/**
 * The log of reads of people's records (issue 7: "every view, search result, export and print of
 * a person's record is logged"). A read is logged before its answer leaves the server, and a
 * read that cannot be logged is not answered: the log fails closed. Rows are append-only (a
 * trigger refuses UPDATE, DELETE and TRUNCATE).
 *
 * One row per record read, so a person's access history is one index lookup; a bulk export of
 * every person the reader may see is one row with no subject, shown in everyone's history.
 */

export type AuditedKind = "person" | "event" | "session" | "roster";

export interface AuditedRead {
  /** The account id, or `cli:<os user>` for the command line. */
  actor: string;
  role: string;
  action: string;
  channel: string;
  subjectKind: AuditedKind;
  /** The records read; "all" for a bulk read of every record of the kind in the reader's scope. */
  subjects: readonly string[] | "all";
  /** For "all": how many records it returned. */
  records?: number;
  purpose?: string | undefined;
  /** A read outside the reader's scope, allowed by a stated purpose: admins are alerted. */
  breakGlass?: boolean | undefined;
}

/** The least a reason to break the glass must say: a sentence, not a word. */
export const BREAK_GLASS_MIN = 20;

/**
 * Where the reason for breaking the glass travels: a request header, percent-encoded UTF-8 (so an
 * Arabic reason fits in a header). Never the URL: proxies and access logs keep URLs.
 */
export const BREAK_GLASS_HEADER = "x-break-glass-reason";

/** A reason sent the old way, in the query string, is refused, so no client keeps doing it. */
export function refuseReasonInUrl(inQuery: string | undefined): void {
  if (inQuery !== undefined)
    throw new Problem(
      "request.reason-in-url",
      "The reason for breaking the glass was sent in the URL, where proxies and access logs keep it. Send it in the X-Break-Glass-Reason header (percent-encoded UTF-8) instead.",
      [{ path: "breakGlass", message: "send it in X-Break-Glass-Reason" }],
    );
}

/** The break-the-glass header decoded; undefined when absent. */
export function breakGlassReason(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    throw new Problem("request.invalid", "The X-Break-Glass-Reason header must be percent-encoded UTF-8.", [
      { path: BREAK_GLASS_HEADER, message: "percent-encoded UTF-8" },
    ]);
  }
}

/** Purposes are free text typed by a person: kept short, single-line, and never empty. */
export function checkPurpose(
  purpose: string | undefined,
  what: string,
  { min = 10, path = "purpose" }: { min?: number; path?: string } = {},
): string {
  const text = purpose?.replace(/\s+/g, " ").trim() ?? "";
  if (text.length < min)
    throw new Problem("request.invalid", `${what} needs a purpose: say why, in at least ${min} characters.`, [
      { path, message: `required (at least ${min} characters)` },
    ]);
  if (text.length > 500)
    throw new Problem("request.invalid", `The purpose of ${what} is too long (at most 500 characters).`, [
      { path, message: "at most 500 characters" },
    ]);
  return text;
}

/** `store` may be a transaction's (`{ db: tx }`): the log row then commits or rolls back with it. */
export async function logRead(store: { db: Db }, read: AuditedRead): Promise<void> {
  const base = {
    actor: read.actor,
    role: read.role,
    action: read.action,
    channel: read.channel,
    subjectKind: read.subjectKind,
    purpose: read.purpose ?? null,
    breakGlass: read.breakGlass ?? false,
  };
  if (read.subjects === "all") {
    await store.db.insert(t.accessLog).values({ ...base, subjectId: null, records: read.records ?? 0 });
    return;
  }
  // A list that returned nothing showed no one.
  const ids = [...new Set(read.subjects)];
  for (let i = 0; i < ids.length; i += 1_000)
    await store.db
      .insert(t.accessLog)
      .values(ids.slice(i, i + 1_000).map((subjectId) => ({ ...base, subjectId, records: 1 })));
}

/** Logs what an API request is about to answer, under the route's policy action. */
export async function logRequestRead(
  store: Store,
  request: FastifyRequest,
  subjectKind: AuditedKind,
  subjects: readonly string[],
  { purpose, breakGlass }: { purpose?: string | undefined; breakGlass?: boolean | undefined } = {},
): Promise<void> {
  const account = request.account;
  // Every audited route requires sign-in; an anonymous read here is a bug, refused.
  if (!account) throw new Problem("auth.required", "Sign in first.");
  await logRead(store, {
    actor: account.id,
    role: account.role,
    action: String(request.routeOptions.config.action),
    channel: `${request.method} ${request.routeOptions.url}`,
    subjectKind,
    subjects,
    purpose,
    breakGlass,
  });
}

/** Rows of the log that match `where`, newest first, paged by id, with the reader's user name. */
async function logRows(
  store: Store,
  where: SQL | undefined,
  options: { limit: number; before?: number | undefined },
) {
  const rows = await store.db
    .select({
      id: t.accessLog.id,
      at: t.accessLog.at,
      actor: t.accessLog.actor,
      username: t.users.username,
      role: t.accessLog.role,
      action: t.accessLog.action,
      channel: t.accessLog.channel,
      subjectKind: t.accessLog.subjectKind,
      subjectId: t.accessLog.subjectId,
      records: t.accessLog.records,
      purpose: t.accessLog.purpose,
      breakGlass: t.accessLog.breakGlass,
    })
    .from(t.accessLog)
    .leftJoin(t.users, sql`${t.users.id}::text = ${t.accessLog.actor}`)
    .where(and(where, options.before === undefined ? undefined : lt(t.accessLog.id, options.before)))
    .orderBy(desc(t.accessLog.id))
    .limit(options.limit);
  return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString(), username: r.username ?? r.actor }));
}

/** Who read one record, newest first, with the bulk reads that covered it. */
export async function accessHistory(
  store: Store,
  subjectKind: AuditedKind,
  subjectId: string,
  options: { limit: number; before?: number | undefined },
) {
  const rows = await logRows(
    store,
    and(
      eq(t.accessLog.subjectKind, subjectKind),
      or(eq(t.accessLog.subjectId, subjectId), isNull(t.accessLog.subjectId)),
    ),
    options,
  );
  return rows.map(({ subjectKind: _kind, subjectId: id, ...r }) => ({ ...r, bulk: id === null }));
}

/**
 * The reads that broke the glass (outside the reader's scope, with a reason), newest first: who,
 * whom, when and why, for the administrators to review.
 */
export async function breakGlassAlerts(
  store: Store,
  options: { limit: number; before?: number | undefined },
) {
  const rows = await logRows(store, eq(t.accessLog.breakGlass, true), options);
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    username: r.username,
    role: r.role,
    channel: r.channel,
    subjectKind: r.subjectKind,
    subjectId: r.subjectId ?? "",
    purpose: r.purpose ?? "",
  }));
}
