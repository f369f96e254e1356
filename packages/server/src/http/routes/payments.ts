import { isProblem, Problem, paymentChannels, period } from "@armsledger/core";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { checkExportPassphrase } from "../../access/export-passphrase.ts";
import { logRequestRead } from "../../access/read-audit.ts";
import { encryptWithPassphrase } from "../../crypto/export-file.ts";
import { confirmationPayload } from "../../documents/payment-confirmation-file.ts";
import {
  getPaymentList,
  listPaymentLists,
  listPaymentSchedules,
  paymentListFile,
  paymentsReport,
} from "../../queries/payments.ts";
import type { Store } from "../../store/database.ts";
import { executeCommand } from "../../write-path/execute.ts";
import { accountOf, actorOfRequest } from "../access.ts";

/** The header that carries an export's passphrase (a query string would be kept in histories and logs). */
export const PASSPHRASE_HEADER = "x-export-passphrase";

const headerText = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A confirmation file is sent whole in the request (base64): a few thousand lines fit well. */
const CONFIRMATION_BODY_LIMIT = 8 * 1024 * 1024;

const listSummary = z.object({
  id: z.string(),
  scheduleId: z.string(),
  period: z.string(),
  channel: z.string(),
  currency: z.string(),
  status: z.string(),
  lineCount: z.number(),
  totalMinor: z.number(),
  exceptionCount: z.number(),
  preparedSeq: z.number(),
  sentAt: z.string().nullable(),
  sentSeq: z.number().nullable(),
  sentFileSha256: z.string().nullable(),
  reconciledSeq: z.number().nullable(),
});

const breakdown = z.array(
  z.object({ key: z.string().nullable(), count: z.number(), totalMinor: z.number() }),
);

/** Stipend schedules, payment lists (with their bank file) and the provider's confirmations. */
export const paymentRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/v1/payment-schedules",
      {
        config: { action: "payment.read" },
        schema: {
          tags: ["payments"],
          summary: "Stipend schedules (amounts in minor units of the currency)",
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  name: z.string(),
                  amountMinor: z.number(),
                  currency: z.string(),
                  periodLength: z.string(),
                  firstPeriod: z.string(),
                  lastPeriod: z.string(),
                  channel: z.enum(paymentChannels),
                  setSeq: z.number(),
                }),
              ),
            }),
          },
        },
      },
      async () => ({ items: (await listPaymentSchedules(store)) as never }),
    );

    app.get(
      "/api/v1/payment-lists",
      {
        config: { action: "payment.read" },
        schema: {
          tags: ["payments"],
          summary: "Payment lists (listed, sent, reconciled), newest first",
          querystring: z.object({
            scheduleId: z.uuid().optional(),
            period: period.optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
          }),
          response: { 200: z.object({ items: z.array(listSummary) }) },
        },
      },
      async (request) => ({
        items: await listPaymentLists(
          store,
          { scheduleId: request.query.scheduleId, period: request.query.period },
          request.query.limit,
        ),
      }),
    );

    app.get(
      "/api/v1/payment-lists/:id",
      {
        config: { action: "payment.read" },
        schema: {
          tags: ["payments"],
          summary:
            "One payment list: its lines (listed, sent, paid, failed) and the people it left out, with why",
          params: z.object({ id: z.uuid() }),
          response: {
            200: listSummary.extend({
              lines: z.array(
                z.object({
                  reference: z.string(),
                  personId: z.string(),
                  amountMinor: z.number(),
                  account: z.string().nullable(),
                  status: z.string(),
                  confirmedOn: z.string().nullable(),
                }),
              ),
              exceptions: z.array(z.object({ personId: z.string(), reasons: z.array(z.string()) })),
            }),
          },
        },
      },
      async (request) => {
        const list = await getPaymentList(store, request.params.id);
        await logRequestRead(store, request, "person", [
          ...list.lines.map((l) => l.personId),
          ...list.exceptions.map((e) => e.personId),
        ]);
        return list;
      },
    );

    app.get(
      "/api/v1/payment-lists/:id/export",
      {
        config: { action: "payment.export" },
        schema: {
          tags: ["payments"],
          summary:
            "The payment list as a file for the bank or mobile-money provider (CSV or XLSX), encrypted with a passphrase (age); the SHA-256 of the file inside in X-File-SHA256",
          description: `The file names everyone on the list, so it is only given encrypted, in the age format (age-encryption.org, passphrase/scrypt): open it with \`armsledger decrypt FILE --passphrase-file …\` or \`age -d FILE\`. The passphrase comes in the ${PASSPHRASE_HEADER} header (never in the URL, which browsers and proxies keep): at least 16 characters, not easy to guess.`,
          params: z.object({ id: z.uuid() }),
          querystring: z.object({ format: z.enum(["csv", "xlsx"]).default("csv") }),
          produces: ["application/octet-stream"],
        },
      },
      async (request, reply) => {
        // Checked before the list is looked up: a refusal says nothing of whether it exists.
        const account = accountOf(request);
        const passphrase = checkExportPassphrase(
          headerText(request.headers[PASSPHRASE_HEADER]),
          [account.username, account.displayName],
          PASSPHRASE_HEADER,
        );
        const file = await paymentListFile(store, request.params.id, request.query.format);
        // Names, national ids and accounts of everyone on the list: a read of each person's record.
        await logRequestRead(store, request, "person", file.personIds);
        const encrypted = await encryptWithPassphrase(file.bytes, passphrase);
        return reply
          .type("application/octet-stream")
          .header("content-disposition", `attachment; filename="${file.fileName}.age"`)
          .header("x-file-sha256", file.sha256)
          .header("cache-control", "no-store")
          .send(Buffer.from(encrypted));
      },
    );

    app.post(
      "/api/v1/payment-confirmations",
      {
        config: { action: "payment.confirm" },
        bodyLimit: CONFIRMATION_BODY_LIMIT,
        schema: {
          tags: ["payments"],
          summary: "Import a provider's confirmation file (reference, amount, status paid/failed, date)",
          description:
            "The file (base64) becomes one payment.confirm command carrying its SHA-256. Every mismatch (unknown reference, amount differs, duplicate line, line of a list not sent, missing line) is reported line by line, and then nothing is recorded.",
          body: z.strictObject({
            commandId: z.uuid("commandId must be a UUID made by the client"),
            fileName: z.string().min(1).max(200),
            format: z.enum(["csv", "xlsx"]),
            /** When the file came from the provider (part of the command: a retry sends the same). */
            receivedAt: z.iso.datetime({ offset: true }),
            content: z.base64("content is the file, base64-encoded"),
          }),
        },
      },
      async (request) => {
        const { commandId, fileName, format, content, receivedAt } = request.body;
        const payload = await confirmationPayload(
          Buffer.from(content, "base64"),
          format,
          fileName,
          receivedAt,
        );
        try {
          return await executeCommand(
            store,
            { commandId, type: "payment.confirm", payload },
            actorOfRequest(request),
          );
        } catch (error) {
          throw isProblem(error) ? byFileLine(error, payload.lines) : error;
        }
      },
    );

    app.get(
      "/api/v1/reports/payments",
      {
        config: { action: "report.payments" },
        schema: {
          tags: ["payments", "reports"],
          summary:
            "Payments by schedule and period: listed, sent, paid, failed, the exceptions by reason, and what was paid by group, governorate, sex and age group (aggregates only)",
          querystring: z.object({ period: period.optional(), scheduleId: z.uuid().optional() }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  scheduleId: z.string(),
                  schedule: z.string(),
                  period: z.string(),
                  currency: z.string(),
                  listed: z.number(),
                  sent: z.number(),
                  paid: z.number(),
                  paidTotalMinor: z.number(),
                  failed: z.number(),
                  exceptions: z.record(z.string(), z.number()),
                  paidBy: z.object({
                    group: breakdown,
                    governorate: breakdown,
                    sex: breakdown,
                    ageGroup: breakdown,
                  }),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        items: await paymentsReport(store, {
          period: request.query.period,
          scheduleId: request.query.scheduleId,
        }),
      }),
    );
  };

/** Points each field of a refusal at the file's line rather than the command's array index. */
function byFileLine(problem: Problem, lines: { line: number }[]): Problem {
  const fields = problem.fields.map((f) => {
    const m = /^payload\.lines\.(\d+)(?:\.(\w+))?$/u.exec(f.path);
    const line = m ? lines[Number(m[1])]?.line : undefined;
    if (!m || line === undefined) return f;
    return {
      path: `file.line.${line}${m[2] ? `.${m[2]}` : ""}`,
      message: f.message.startsWith(`line ${line}:`)
        ? f.message
        : `line ${line}: ${m[2] ?? ""} ${f.message}`.replace("  ", " "),
    };
  });
  return new Problem(problem.code, problem.message, fields, problem.retryAfterSeconds);
}
