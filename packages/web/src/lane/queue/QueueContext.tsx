import { useQuery } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from "react";
import { getJson, postBytes, postJson } from "../../api/client.ts";
import { useAccount } from "../../session/session.ts";
import { importQueueKey } from "./crypto.ts";
import {
  CommandQueue,
  type NewCommand,
  type QueueEntry,
  type QueueOverview,
  type SyncResult,
  type Transport,
} from "./queue.ts";

// The queue as the lane uses it: opened with the signed-in account's key, listed for the panel,
// and drained by itself: at once when a command is added, when the browser says it is back
// online, and on a timer that waits longer after each failure (5 s, 10 s, … 5 min).

/** The app's own API client as the queue's transport. */
export const httpTransport: Transport = {
  upload: (bytes) => postBytes("/api/v1/files", bytes),
  sync: async (commands) =>
    (await postJson<{ results: SyncResult[] }>("/api/v1/commands/sync", { commands }))?.results ?? [],
};

const FIRST_RETRY_MS = 5_000;
const LAST_RETRY_MS = 5 * 60_000;

export interface QueueState {
  /** False until the session's key is in hand and IndexedDB is open. */
  ready: boolean;
  /** Why the queue could not be opened (the key could not be fetched, no IndexedDB). */
  failure: unknown;
  /** This account's commands (the older sent ones left out), counts by state, others' waiting work. */
  overview: QueueOverview;
  syncing: boolean;
  /** Why the last sync stopped (no network, server down): it is retried by itself. */
  stoppedBy: unknown;
  /** Adds a command and tries to send it at once; answers the entry as it stands after that try. */
  submit(command: NewCommand): Promise<QueueEntry>;
  syncNow(): Promise<void>;
  discard(commandId: string): Promise<void>;
  file(commandId: string, sha256: string): Promise<Uint8Array<ArrayBuffer> | undefined>;
  /** The refused command being corrected in its form, if any. */
  correcting: QueueEntry | undefined;
  setCorrecting(entry: QueueEntry | undefined): void;
}

const empty: QueueOverview = {
  entries: [],
  counts: { pending: 0, sent: 0, attention: 0, replaced: 0, discarded: 0 },
  othersWaiting: 0,
};

const QueueContext = createContext<QueueState | undefined>(undefined);

export function useQueue(): QueueState {
  const state = useContext(QueueContext);
  if (!state) throw new Error("useQueue outside QueueProvider");
  return state;
}

/**
 * The session's queue key, held by the query cache in memory only (as a non-extractable
 * CryptoKey). Its query key starts with "queue", so signing out or in as someone else drops it
 * with everything else the account read (session.ts `forgetPrivate`).
 */
function useQueueKey(accountId: string | undefined) {
  return useQuery({
    queryKey: ["queue", "key", accountId],
    queryFn: async () => importQueueKey((await getJson<{ key: string }>("/api/v1/me/queue-key")).key),
    enabled: accountId !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    retry: 2,
  });
}

export function QueueProvider({
  children,
  transport = httpTransport,
  dbName,
}: {
  children: ReactNode;
  transport?: Transport;
  dbName?: string;
}) {
  const accountId = useAccount().data?.id;
  const key = useQueueKey(accountId);
  const [queue, setQueue] = useState<CommandQueue | undefined>(undefined);
  const [openFailure, setOpenFailure] = useState<unknown>(undefined);
  const [overview, setOverview] = useState<QueueOverview>(empty);
  const [syncing, setSyncing] = useState(false);
  const [stoppedBy, setStoppedBy] = useState<unknown>(undefined);
  const [correcting, setCorrecting] = useState<QueueEntry | undefined>(undefined);
  const retry = useRef<{ timer?: ReturnType<typeof setTimeout>; delay: number }>({ delay: FIRST_RETRY_MS });

  useEffect(() => {
    if (!key.data || !accountId) return;
    let open: CommandQueue | undefined;
    let gone = false;
    CommandQueue.open(accountId, key.data, dbName).then((q) => {
      if (gone) q.close();
      else {
        open = q;
        setQueue(q);
      }
    }, setOpenFailure);
    return () => {
      gone = true;
      open?.close();
      setQueue(undefined);
    };
  }, [key.data, accountId, dbName]);

  const refresh = useCallback(async (q: CommandQueue) => {
    const now = await q.overview();
    setOverview(now);
    return now;
  }, []);

  const run = useCallback(
    async (q: CommandQueue) => {
      clearTimeout(retry.current.timer);
      if (q.closed) return;
      setSyncing(true);
      let stopped: unknown;
      let left = false;
      try {
        stopped = (await q.sync(transport)).stoppedBy;
        left = (await refresh(q)).counts.pending > 0;
      } catch (error) {
        // The queue was closed under the sync (the lane was left): nothing to show, nothing to retry.
        if (q.closed) return;
        stopped = error;
      } finally {
        if (!q.closed) setSyncing(false);
      }
      setStoppedBy(stopped);
      if (stopped !== undefined) {
        retry.current.timer = setTimeout(() => void run(q), retry.current.delay);
        retry.current.delay = Math.min(LAST_RETRY_MS, retry.current.delay * 2);
      } else {
        retry.current.delay = FIRST_RETRY_MS;
        if (left) retry.current.timer = setTimeout(() => void run(q), FIRST_RETRY_MS);
      }
    },
    [transport, refresh],
  );

  useEffect(() => {
    if (!queue) return;
    void run(queue);
    const online = () => {
      retry.current.delay = FIRST_RETRY_MS;
      void run(queue);
    };
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("online", online);
      clearTimeout(retry.current.timer);
    };
  }, [queue, run]);

  const need = () => {
    if (!queue) throw new Error("the queue is not open yet");
    return queue;
  };
  const state: QueueState = {
    ready: queue !== undefined,
    failure: key.error ?? openFailure,
    overview,
    syncing,
    stoppedBy,
    async submit(command) {
      const q = need();
      const entry = await q.enqueue(command);
      await run(q);
      return (await q.get(entry.commandId)) ?? entry;
    },
    async syncNow() {
      retry.current.delay = FIRST_RETRY_MS;
      await run(need());
    },
    async discard(commandId) {
      const q = need();
      await q.discard(commandId);
      await refresh(q);
    },
    file: (commandId, sha256) => need().file(commandId, sha256),
    correcting,
    setCorrecting,
  };
  return <QueueContext.Provider value={state}>{children}</QueueContext.Provider>;
}
