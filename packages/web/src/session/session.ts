import { type AccountView, roleMay } from "@armsledger/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, getJson, postJson } from "../api/client.ts";
import { forgetOffline, keepForOffline, type LaneReference, laneReference } from "./offline.ts";

/** The signed-in account, as GET /api/v1/me answers. */
export type Account = AccountView;

const ME = ["session", "me"] as const;

/** Drops what one account read (everything but the public pages and the session itself). */
const forgetPrivate = (client: ReturnType<typeof useQueryClient>) =>
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== "public" && q.queryKey[0] !== ME[0] });

/** The signed-in account, or null when nobody is (the session cookie is HTTP-only: only the API knows). */
export function useAccount() {
  return useQuery({
    queryKey: ME,
    queryFn: async (): Promise<Account | null> => {
      try {
        return await getJson<Account>("/api/v1/me");
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          // The session is over: so is the copy kept for working offline (offline.ts). Not
          // awaited: the answer must not wait for IndexedDB (nor land after a sign-in).
          void forgetOffline().catch(() => undefined);
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

/**
 * Offline, nobody can say who is signed in: the query waits for the network (the browser says it
 * is offline) or could not reach the server. Not the same as signed out (a 401).
 */
export function sessionUnreachable(account: ReturnType<typeof useAccount>): boolean {
  return (
    (account.isPending && account.fetchStatus === "paused") ||
    (account.isError && account.error instanceof ApiError && account.error.code === "network")
  );
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { username: string; password: string; code?: string }) =>
      postJson<{ account: Account; expiresAt: string }>("/api/v1/auth/login", credentials),
    onSuccess: (answer, { password }) => {
      // Whatever the previous account could read is not this one's to see.
      forgetPrivate(client);
      client.setQueryData(ME, answer?.account ?? null);
      if (answer) void keepForOfflineWork(answer.account, password, answer.expiresAt);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => postJson<never>("/api/v1/auth/logout", {}),
    onSettled: () => {
      void forgetOffline().catch(() => undefined);
      forgetPrivate(client);
      client.setQueryData(ME, null);
    },
  });
}

/**
 * For the accounts that work in the collection lane: keeps what a reload offline needs to open
 * the queue, sealed under the password just typed (offline.ts). Any other account: nothing is
 * kept, and a copy left by someone before is deleted. Never in the way of signing in.
 */
async function keepForOfflineWork(account: Account, password: string, expiresAt: string) {
  try {
    if (!roleMay(account.role, "handover.record")) return await forgetOffline();
    const [{ key }, ...lists] = await Promise.all([
      getJson<{ key: string }>("/api/v1/me/queue-key"),
      ...Object.values(laneReference).map((path) => getJson<unknown>(path).catch(() => undefined)),
    ]);
    const reference: LaneReference = Object.fromEntries(
      Object.keys(laneReference).map((name, i) => [name, lists[i]]),
    );
    await keepForOffline(account, password, expiresAt, key, reference);
  } catch {
    // No IndexedDB, no network: the lane still works online, and offline until a reload.
  }
}
