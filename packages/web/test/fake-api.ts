import type { Role } from "@armsledger/core";
import { vi } from "vitest";

/** What the fake API answers: JSON by "METHOD /path" (query included), or a status with a problem code. */
export type Routes = Record<string, unknown | FakeProblem>;

/** A refusal; `errors` are the offending fields, as the API's problem+json carries them. */
export interface FakeProblem {
  status: number;
  code: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

const isProblem = (x: unknown): x is FakeProblem =>
  typeof x === "object" && x !== null && "status" in x && "code" in x;

/** Replaces fetch with the routes given; returns the requests made, as "METHOD /path". */
export function fakeApi(routes: Routes): string[] {
  const calls: string[] = [];
  vi.stubGlobal("fetch", async (input: URL | string, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://localhost/");
    const key = `${init.method ?? "GET"} ${url.pathname}${url.search}`;
    calls.push(key);
    const answer = routes[key];
    if (answer === undefined) return problem(404, "resource.not-found", `fake API: nothing at ${key}`);
    if (isProblem(answer))
      return problem(answer.status, answer.code, answer.detail ?? answer.code, answer.errors);
    if (typeof answer === "function") return answer(init);
    return new Response(JSON.stringify(answer), { headers: { "content-type": "application/json" } });
  });
  return calls;
}

const problem = (status: number, code: string, detail: string, errors?: FakeProblem["errors"]) =>
  new Response(JSON.stringify({ type: "about:blank", title: code, status, code, detail, errors }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });

export const signedOut = { status: 401, code: "auth.required" };

export const account = (role: Role) => ({
  id: "0190f5a2-7c1e-7b3a-9f00-2a4b5c6d7e8f",
  username: role,
  displayName: role === "registrar" ? "سارة الحسيني" : "Sam Example",
  role,
  scope: { sites: "all", governorates: "all" },
});

/** A command as the app sends it to POST /api/v1/commands. */
export interface SentCommand {
  commandId: string;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * POST /api/v1/commands for the fake API: records each command sent and answers with
 * `answer(sent)`: the event's data (as the answer's `data`), or a refusal.
 */
export function commandRoute(
  answer: (sent: SentCommand) => { data: unknown; anomalies?: unknown[] } | FakeProblem,
) {
  const sent: SentCommand[] = [];
  const route = async (init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as SentCommand;
    sent.push(body);
    const out = answer(body);
    if (isProblem(out)) return problem(out.status, out.code, out.detail ?? out.code, out.errors);
    const recorded = {
      commandId: body.commandId,
      type: body.type,
      seq: 9,
      leafIndex: 9,
      data: out.data,
      ...(out.anomalies ? { anomalies: out.anomalies } : {}),
    };
    return new Response(JSON.stringify(recorded), { headers: { "content-type": "application/json" } });
  };
  return { sent, route };
}
