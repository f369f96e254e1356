import { useMutation } from "@tanstack/react-query";
import { useRef } from "react";
import { postJson } from "../api/client.ts";

/** What POST /api/v1/commands answers (core's commandAnswer), with the event's data typed. */
export interface CommandAnswer<D> {
  commandId: string;
  type: string;
  event: string;
  seq: number;
  leafIndex: number;
  recordedAt: string;
  data: D;
}

/**
 * Sends one command through the one write path. The command id is made here (the server records
 * a command id once): pressing again after a lost answer, with the same content, reuses the id,
 * so the server answers what it recorded instead of recording twice; changed content (a field
 * corrected after a refusal) is a new command with a new id.
 */
export function useCommand<D>(type: string) {
  const last = useRef<{ body: string; commandId: string } | undefined>(undefined);
  return useMutation({
    mutationFn: async (payload: unknown) => {
      const body = JSON.stringify(payload);
      if (last.current?.body !== body) last.current = { body, commandId: crypto.randomUUID() };
      const answer = await postJson<CommandAnswer<D>>("/api/v1/commands", {
        commandId: last.current.commandId,
        type,
        payload,
      });
      return answer as CommandAnswer<D>;
    },
  });
}
