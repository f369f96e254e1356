import type { AccountView } from "@armsledger/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, getJson, postJson } from "../api/client.ts";

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
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { username: string; password: string; code?: string }) =>
      postJson<{ account: Account; expiresAt: string }>("/api/v1/auth/login", credentials),
    onSuccess: (answer) => {
      // Whatever the previous account could read is not this one's to see.
      forgetPrivate(client);
      client.setQueryData(ME, answer?.account ?? null);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => postJson<never>("/api/v1/auth/logout", {}),
    onSettled: () => {
      forgetPrivate(client);
      client.setQueryData(ME, null);
    },
  });
}
