import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { App, AppProviders, newQueryClient } from "../src/app/App.tsx";
import type { Settings } from "../src/settings/settings.tsx";

// The collection lane in jsdom: the app opened at /lane, and its API faked (the queue's key and
// the sync route).

export function renderLane(settings: Settings) {
  return render(
    <AppProviders
      client={newQueryClient()}
      settings={settings}
      router={(app) => <MemoryRouter initialEntries={["/lane"]}>{app}</MemoryRouter>}
    >
      <App />
    </AppProviders>,
  );
}

/** The session's queue key (GET /api/v1/me/queue-key): 32 bytes, base64url. */
export const queueKey = {
  key: btoa(String.fromCharCode(...new Uint8Array(32).fill(3))).replace(/=+$/u, ""),
  algorithm: "AES-GCM",
};

export interface Sent {
  commandId: string;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * POST /api/v1/commands/sync (the lane sends through its queue): records each command sent and
 * answers it with `answer(sent)`: 200 is recorded, any other status a refusal of that command; a
 * throw is the link dropping (the whole request fails).
 */
export function commands(answer: (sent: Sent) => { status?: number; body: unknown }) {
  const sent: Sent[] = [];
  const route = async (init: RequestInit) => {
    const { commands: batch } = JSON.parse(String(init.body)) as { commands: Sent[] };
    const results = batch.map((command) => {
      sent.push(command);
      const { status = 200, body } = answer(command);
      return status === 200
        ? {
            commandId: command.commandId,
            outcome: "recorded",
            answer: { ...(body as object), commandId: command.commandId },
          }
        : { commandId: command.commandId, outcome: "refused", problem: body };
    });
    return new Response(JSON.stringify({ results }), { headers: { "content-type": "application/json" } });
  };
  return { sent, route };
}
