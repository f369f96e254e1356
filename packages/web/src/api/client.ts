import type { ProblemCode, ProblemField } from "@armsledger/core";

// The app talks only to the public HTTP API, on the origin that served it (so the HTTP-only
// session cookie travels with every request and nothing else is needed).

/** An API refusal (RFC 9457 problem+json), or "network" when the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ProblemCode | "network";
  readonly detail: string;
  /** Seconds to wait before asking again (Retry-After), when the refusal passes with time. */
  readonly retryAfter: number | undefined;
  /** The offending fields (the problem's `errors`), by path such as "payload.weapons.0.serial". */
  readonly fields: ProblemField[];

  constructor(
    status: number,
    code: ProblemCode | "network",
    detail: string,
    retryAfter?: number,
    fields: ProblemField[] = [],
  ) {
    super(detail);
    this.fields = fields;
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(new URL(path, globalThis.location?.href ?? "http://localhost/"), {
      credentials: "same-origin",
      ...init,
      headers: { accept: "application/json, application/problem+json;q=0.9, */*;q=0.1", ...init.headers },
    });
  } catch (error) {
    throw new ApiError(0, "network", (error as Error).message);
  }
  if (!response.ok) {
    let problem: { code?: ProblemCode; detail?: string; errors?: ProblemField[] } = {};
    try {
      problem = (await response.json()) as typeof problem;
    } catch {
      // Not problem+json (a proxy's error page, say): the status says enough.
    }
    const retryAfter = Number.parseInt(response.headers.get("retry-after") ?? "", 10);
    throw new ApiError(
      response.status,
      problem.code ?? "internal",
      problem.detail ?? response.statusText,
      Number.isNaN(retryAfter) ? undefined : retryAfter,
      Array.isArray(problem.errors) ? problem.errors : [],
    );
  }
  return response;
}

export async function getJson<T>(path: string, headers?: Record<string, string>): Promise<T> {
  return (await (await request(path, headers ? { headers } : {})).json()) as T;
}

export async function getText(path: string): Promise<string> {
  return (await request(path)).text();
}

export async function getBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await (await request(path)).arrayBuffer());
}

export async function postJson<T>(path: string, body: unknown): Promise<T | undefined> {
  const response = await request(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.status === 204 ? undefined : ((await response.json()) as T);
}

/** Sends raw bytes (a photo) as the body; the server reads the type from the bytes themselves. */
export async function postBytes<T>(path: string, bytes: Uint8Array<ArrayBuffer>): Promise<T> {
  const response = await request(path, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: bytes,
  });
  return (await response.json()) as T;
}
