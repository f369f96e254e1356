import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { useFormat } from "../format/format.ts";
import { Field } from "../ui/Field.tsx";
import { ProblemNotice } from "../ui/Problem.tsx";
import { Code } from "../ui/Text.tsx";
import { checkReceipt, type LedgerSource, type ReceiptCheck, readReceiptInput } from "./check-receipt.ts";

/** The public receipt check: anyone, no sign-in; the proof is verified in this browser. */
export function ReceiptCheckPage({ source }: { source?: LedgerSource }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [text, setText] = useState(params.get("n") ?? "");
  const [invalid, setInvalid] = useState(false);
  const check = useMutation({
    mutationFn: (input: NonNullable<ReturnType<typeof readReceiptInput>>) => checkReceipt(input, source),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = readReceiptInput(text);
    setInvalid(!input);
    if (input) check.mutate(input);
    else check.reset();
  }

  return (
    <section aria-labelledby="receipt-title">
      <h1 id="receipt-title">{t("receipt.title")}</h1>
      <p>{t("receipt.intro")}</p>
      <form onSubmit={submit} noValidate>
        <Field
          label={t("receipt.number")}
          hint={t("receipt.numberHint")}
          error={invalid ? t("receipt.invalid") : undefined}
        >
          {(control) => (
            <input
              {...control}
              dir="ltr"
              autoComplete="off"
              spellCheck={false}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={check.isPending}>
          {check.isPending ? t("receipt.checking") : t("receipt.check")}
        </button>
      </form>
      <div aria-live="polite">
        {check.isError && <ProblemNotice error={check.error} />}
        {check.data && <Outcome result={check.data} />}
      </div>
    </section>
  );
}

function Outcome({ result }: { result: ReceiptCheck }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!result.verified)
    return (
      <div className="notice notice-error" data-outcome="not-verified">
        <p>
          <strong>{t("receipt.notVerified")}</strong>
        </p>
        <p>
          {t(`receipt.reasons.${result.reason}`, {
            why: result.why ?? "",
            got: format.number(result.got ?? 0),
            want: format.number(result.want ?? 0),
          })}
        </p>
      </div>
    );
  return (
    <div className="notice notice-ok" data-outcome="verified">
      <p>
        <strong>{t("receipt.verified")}</strong>
      </p>
      <h2>{t("receipt.detailsHeading")}</h2>
      <dl>
        <dt>{t("receipt.number")}</dt>
        <dd>
          <Code>{result.receiptNumber}</Code>
        </dd>
        <dt>{t("receipt.entry")}</dt>
        <dd>{format.number(result.index)}</dd>
        <dt>{t("receipt.treeSize")}</dt>
        <dd>{format.number(result.size)}</dd>
        <dt>{t("receipt.recordedAt")}</dt>
        <dd>{format.dateTime(result.recordedAt)}</dd>
        <dt>{t("receipt.weapons")}</dt>
        <dd>{format.number(result.weapons)}</dd>
        <dt>{t("receipt.ammunition")}</dt>
        <dd>{format.number(result.ammunition)}</dd>
        <dt>{t("receipt.logKey")}</dt>
        <dd>
          <Code>{result.logKey}</Code>
        </dd>
      </dl>
      {result.qrMatched && <p>{t("receipt.qrHash")}</p>}
    </div>
  );
}
