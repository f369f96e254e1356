import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "../ui/Field.tsx";
import { offlineUnlockAvailable, unlockOffline } from "./offline.ts";

/**
 * Shown instead of a screen when the server cannot be reached to say who is signed in (a page
 * reloaded or reopened offline): the last account that signed in on this device may open its
 * kept copy with its password and go on working; anyone else waits for the network.
 */
export function OfflineUnlock() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const available = useQuery({
    queryKey: ["session", "offline-unlock"],
    queryFn: () => offlineUnlockAvailable(),
    networkMode: "always",
    retry: false,
  });
  const [password, setPassword] = useState("");
  const [state, setState] = useState<"idle" | "opening" | "wrong" | "empty">("idle");

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password === "") return setState("empty");
    setState("opening");
    const opened = await unlockOffline(password).catch(() => undefined);
    if (!opened) return setState("wrong");
    // As if GET /api/v1/me and /me/queue-key had answered (the session is asked again once online).
    client.setQueryData(["queue", "key", opened.account.id], opened.queueKey);
    // The lane's lists as they were at sign-in, marked as of then: asked again once online.
    for (const [name, value] of Object.entries(opened.reference))
      if (value !== undefined && client.getQueryData([name]) === undefined)
        client.setQueryData([name], value, { updatedAt: Date.parse(opened.keptAt) });
    client.setQueryData(["session", "me"], opened.account);
  }

  if (available.isPending) return <p role="status">{t("common.loading")}</p>;
  if (!available.data) return <p className="notice">{t("offline.noCopy")}</p>;
  return (
    <section aria-labelledby="offline-unlock-title" className="narrow">
      <h1 id="offline-unlock-title">{t("offline.title")}</h1>
      <p>{t("offline.intro")}</p>
      <form onSubmit={submit} noValidate>
        <Field
          label={t("session.password")}
          error={
            state === "wrong" ? t("offline.wrong") : state === "empty" ? t("common.required") : undefined
          }
        >
          {(control) => (
            <input
              {...control}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={state === "opening"}>
          {state === "opening" ? t("offline.opening") : t("offline.submit")}
        </button>
      </form>
    </section>
  );
}
