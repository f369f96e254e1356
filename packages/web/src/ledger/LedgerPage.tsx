import {
  openCheckpoint,
  openCosignedCheckpoint,
  parseCosignerVerifierKey,
  parseVerifierKey,
} from "@armsledger/ledger";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { QueryState } from "../ui/Query.tsx";
import { Code } from "../ui/Text.tsx";
import { type Continuity, checkContinuity } from "./continuity.ts";

/** GET /api/v1/ledger/checkpoint. */
export interface PublishedCheckpoint {
  origin: string;
  size: number;
  rootHash: string;
  note: string;
  issuedAt: string;
  logVerifierKey: string | null;
  witnessed: boolean | null;
  verifiedWitnesses: string[];
  missingWitnesses: string[];
  /** The witness policy's witnesses and their cosigner keys (none without a policy). */
  witnesses: { name: string; verifierKey: string }[];
}

/** The checkpoint's signature, checked here with the published key: ok, or why not. */
export function checkSignature(
  c: PublishedCheckpoint,
): { ok: true } | { ok: false; why: string } | undefined {
  if (!c.logVerifierKey) return undefined;
  try {
    const verifier = parseVerifierKey(c.logVerifierKey);
    const opened = openCheckpoint(c.note, verifier.name, verifier);
    if (Number(opened.checkpoint.size) !== c.size)
      return { ok: false, why: `size ${opened.checkpoint.size} ≠ ${c.size}` };
    return { ok: true };
  } catch (error) {
    return { ok: false, why: (error as Error).message };
  }
}

/**
 * Each policy witness's cosignature, checked here with its published key: the server's own list
 * of witnesses that cosigned is then not taken on trust. A key that does not parse counts as not
 * verified. Undefined when the server publishes no ledger key (nothing to check against).
 */
export function checkCosignatures(c: PublishedCheckpoint): { name: string; ok: boolean }[] | undefined {
  if (!c.logVerifierKey || c.witnesses.length === 0) return undefined;
  const verifiers = c.witnesses.map((w) => {
    try {
      return parseCosignerVerifierKey(w.verifierKey);
    } catch {
      return undefined;
    }
  });
  try {
    const { cosigned } = openCosignedCheckpoint(c.note, parseVerifierKey(c.logVerifierKey), verifiers);
    return c.witnesses.map((w, i) => ({ name: w.name, ok: cosigned[i] === true }));
  } catch {
    // The log's own signature does not verify (shown above): no cosignature counts.
    return c.witnesses.map((w) => ({ name: w.name, ok: false }));
  }
}

export function LedgerPage() {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: ["public", "checkpoint"],
    queryFn: () => getJson<PublishedCheckpoint>("/api/v1/ledger/checkpoint"),
    refetchInterval: 30_000,
  });
  return (
    <section aria-labelledby="ledger-title">
      <h1 id="ledger-title">{t("ledger.title")}</h1>
      <p>{t("ledger.intro")}</p>
      <QueryState query={query}>{(c) => <Checkpoint checkpoint={c} />}</QueryState>
    </section>
  );
}

function Checkpoint({ checkpoint: c }: { checkpoint: PublishedCheckpoint }) {
  const { t } = useTranslation();
  const format = useFormat();
  const signature = checkSignature(c);
  const cosignatures = checkCosignatures(c);
  const names = (list: string[]) =>
    list.length ? list.map((n) => <Code key={n}>{n}</Code>) : t("ledger.none");
  return (
    <>
      <dl>
        <dt>{t("ledger.origin")}</dt>
        <dd>
          <Code>{c.origin}</Code>
        </dd>
        <dt>{t("ledger.size")}</dt>
        <dd>{format.number(c.size)}</dd>
        <dt>{t("ledger.issuedAt")}</dt>
        <dd>{format.dateTime(c.issuedAt)}</dd>
        <dt>{t("ledger.rootHash")}</dt>
        <dd>
          <Code>{c.rootHash}</Code>
        </dd>
        <dt>{t("ledger.logKey")}</dt>
        <dd>{c.logVerifierKey ? <Code>{c.logVerifierKey}</Code> : t("ledger.signatureUnknown")}</dd>
        <dt>{t("ledger.signature")}</dt>
        <dd data-signature={signature ? (signature.ok ? "ok" : "bad") : "unknown"}>
          {!signature
            ? t("ledger.signatureUnknown")
            : signature.ok
              ? t("ledger.signatureOk")
              : t("ledger.signatureBad", { why: signature.why })}
        </dd>
        {signature?.ok && c.logVerifierKey && (
          <>
            <dt>{t("ledger.continuity")}</dt>
            <dd data-continuity>
              <History note={c.note} logKey={c.logVerifierKey} />
            </dd>
          </>
        )}
        <dt>{t("ledger.witnessed")}</dt>
        <dd>
          {c.witnessed === null
            ? t("ledger.witnessedNone")
            : c.witnessed
              ? t("ledger.witnessedYes")
              : t("ledger.witnessedNo")}
        </dd>
        <dt>{t("ledger.verifiedWitnesses")}</dt>
        <dd className="list">{names(c.verifiedWitnesses)}</dd>
        <dt>{t("ledger.missingWitnesses")}</dt>
        <dd className="list">{names(c.missingWitnesses)}</dd>
        {cosignatures && (
          <>
            <dt>{t("ledger.cosignaturesChecked")}</dt>
            <dd>
              <ul className="list">
                {cosignatures.map((w) => (
                  <li key={w.name} data-cosignature={w.ok ? "ok" : "bad"}>
                    {t(w.ok ? "ledger.cosignatureOk" : "ledger.cosignatureBad", { name: w.name })}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      <h2>{t("ledger.note")}</h2>
      <pre dir="ltr" className="note">
        {c.note}
      </pre>
    </>
  );
}

/** Whether this checkpoint extends the last one this browser verified (see continuity.ts). */
function History({ note, logKey }: { note: string; logKey: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const continuity = useQuery({
    queryKey: ["public", "continuity", note],
    queryFn: () => checkContinuity(note, logKey),
    staleTime: Number.POSITIVE_INFINITY,
  });
  return <QueryState query={continuity}>{(result) => <>{describe(result)}</>}</QueryState>;

  function describe(result: Continuity): string {
    if (result.kind === "first") return t("ledger.continuityFirst");
    const values = { date: format.dateTime(result.seen.seenAt), size: format.number(result.seen.size) };
    switch (result.kind) {
      case "same":
        return t("ledger.continuitySame", values);
      case "extends":
        return t("ledger.continuityExtends", values);
      case "older":
        return t("ledger.continuityOlder", values);
      case "keyChanged":
        return t("ledger.continuityKeyChanged", values);
      case "forked":
        return t("ledger.continuityForked", values);
    }
  }
}
