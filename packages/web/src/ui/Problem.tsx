import type { ProblemCode } from "@armsledger/core";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client.ts";
import { messages } from "../i18n/i18n.ts";

/**
 * An API refusal, in the reader's language: the problem code's own sentence, then the server's
 * detail (what exactly was wrong; the API writes it in English) when it adds something.
 */
export function ProblemNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.language in messages ? i18n.language : "en") as keyof typeof messages;
  const code = error instanceof ApiError ? error.code : "internal";
  // Problem codes contain dots, so they are looked up in the messages directly, not as i18n paths.
  const text = messages[language].problems[code];
  const detail = error instanceof ApiError && error.code !== "network" ? error.detail : undefined;
  return (
    <div className="notice notice-error" role="alert">
      <p>{text}</p>
      {detail && detail !== text && (
        <p className="detail" lang="en" dir="ltr">
          {detail}
        </p>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

/**
 * A field's problem, next to the field: "required", or the problem code's sentence in the
 * reader's language (or "check this field" when the browser caught it), then what exactly is
 * wrong as the schema or the server says it (in English, marked so).
 */
export function FieldProblem({
  code,
  message,
  missing,
}: {
  code: ProblemCode | undefined;
  message: string;
  missing: boolean;
}) {
  const { t, i18n } = useTranslation();
  if (missing) return <>{t("common.required")}</>;
  const language = (i18n.language in messages ? i18n.language : "en") as keyof typeof messages;
  return (
    <>
      {code ? messages[language].problems[code] : t("common.checkField")}{" "}
      <span lang="en" dir="ltr">
        ({message})
      </span>
    </>
  );
}

/** Problems with fields the form does not show (listed so nothing the server said is hidden). */
export function OtherErrors({ errors }: { errors: [string, Parameters<typeof FieldProblem>[0]][] }) {
  if (errors.length === 0) return null;
  return (
    <div className="error" role="alert">
      <ul>
        {errors.map(([path, e]) => (
          <li key={path}>
            <code dir="ltr">{path}</code>: <FieldProblem {...e} />
          </li>
        ))}
      </ul>
    </div>
  );
}
