import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router";
import { ApiError } from "../api/client.ts";
import { Field } from "../ui/Field.tsx";
import { ProblemNotice } from "../ui/Problem.tsx";
import { useSignIn } from "./session.ts";

export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const signIn = useSignIn();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  // Accounts with an authenticator app: the code field appears once the server asks for it.
  const [askCode, setAskCode] = useState(false);
  const back = (location.state as { from?: string } | null)?.from ?? "/";

  function submit(event: FormEvent) {
    event.preventDefault();
    const empty = { username: username.trim() === "", password: password === "" };
    setMissing(empty);
    if (empty.username || empty.password) return;
    signIn.mutate(
      {
        username: username.trim(),
        password,
        ...(askCode && code.trim() !== "" ? { code: code.trim() } : {}),
      },
      {
        onSuccess: () => navigate(back, { replace: true }),
        onError: (error) => {
          if (error instanceof ApiError && error.code.startsWith("auth.code-")) setAskCode(true);
        },
      },
    );
  }

  return (
    <section aria-labelledby="sign-in-title" className="narrow">
      <h1 id="sign-in-title">{t("session.title")}</h1>
      <p>{t("session.intro")}</p>
      <form onSubmit={submit} noValidate>
        <Field label={t("session.username")} error={missing.username ? t("common.required") : undefined}>
          {(control) => (
            <input
              {...control}
              name="username"
              autoComplete="username"
              dir="auto"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          )}
        </Field>
        <Field label={t("session.password")} error={missing.password ? t("common.required") : undefined}>
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
        {askCode && (
          <Field label={t("session.code")}>
            {(control) => (
              <input
                {...control}
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                dir="ltr"
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            )}
          </Field>
        )}
        {signIn.isError && <ProblemNotice error={signIn.error} />}
        <button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? t("session.submitting") : t("session.submit")}
        </button>
      </form>
    </section>
  );
}
