import { roleMay, stockCheckKinds, stockCheckRecord, stockCheckStart } from "@armsledger/core";
import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { integer } from "../format/parse.ts";
import { useAccount } from "../session/session.ts";
import { Choice } from "../ui/Choice.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code } from "../ui/Text.tsx";
import {
  FormActions,
  isoDateTime,
  localDateTime,
  noSignatory,
  optional,
  SignatoryFields,
  TextField,
  useCommandForm,
} from "./form.tsx";
import { useItemTypeLabel } from "./labels.ts";
import { SiteChoice, SiteName } from "./sites.tsx";

/** A stock check as GET /api/v1/stock-checks lists it. */
interface StockCheck {
  id: string;
  siteId: string;
  kind: string;
  status: string;
  startedAt: string;
  expectedCount: number;
  expectedCounts: Record<string, number>;
  outOfStore: number;
  sample: { kind: string; id: string }[];
  completedAt: string | null;
  findings: Finding[] | null;
}

/** What stock_check.started answers: the stock expected and the sample the server drew. */
interface Started {
  checkId: string;
  siteId: string;
  kind: string;
  startedAt: string;
  expected: unknown[];
  expectedCounts: Record<string, number>;
  outOfStore: number;
  sample: { kind: string; id: string }[];
}

interface Finding {
  id: string;
  kind: string;
  item?: { kind: string; id: string };
  itemKind?: string;
  category?: string;
  expected?: number;
  counted?: number;
}

/** A depot's place in the schedule, as GET /api/v1/stock-checks/schedule answers. */
interface Due {
  siteId: string;
  code: string;
  lastCheck: string | null;
  lastFullCheck: string | null;
  weeklyDue: string;
  fullDue: string;
  weeklyOverdue: boolean;
  fullOverdue: boolean;
  checkUnderWay: string | null;
}

const findingKinds = ["sample_missing", "marking_mismatch", "shortfall", "surplus"] as const;
type FindingKind = (typeof findingKinds)[number];

function useFindingLabel() {
  const { t } = useTranslation();
  return (k: string) =>
    (findingKinds as readonly string[]).includes(k) ? t(`stockChecks.findings.${k as FindingKind}`) : k;
}

/**
 * Stock checks at depots: start one (the server draws the sample then; the keeper cannot choose
 * it), count by type and serial-check the drawn weapons, see what the check found (each finding but
 * a surplus opened a loss investigation), and the depots whose checks are overdue.
 */
export function StockChecksPage() {
  const { t } = useTranslation();
  const role = useAccount().data?.role;
  const mayStart = role !== undefined && roleMay(role, "stock_check.start");
  const mayRecord = role !== undefined && roleMay(role, "stock_check.record");
  const [recording, setRecording] = useState<StockCheck | undefined>(undefined);
  const open = useQuery({
    queryKey: ["stock-checks", "open"],
    queryFn: () => getJson<{ items: StockCheck[] }>("/api/v1/stock-checks?status=open"),
  });
  return (
    <section aria-labelledby="stock-checks-title">
      <h1 id="stock-checks-title">{t("stockChecks.title")}</h1>
      {recording ? (
        <RecordForm key={recording.id} check={recording} onClose={() => setRecording(undefined)} />
      ) : (
        mayStart && <StartForm onStarted={setRecording} />
      )}
      <h2>{t("stockChecks.underWay")}</h2>
      <QueryState query={open}>
        {(data) => (
          <DataTable
            caption={t("stockChecks.underWay")}
            rows={data.items}
            rowKey={(c) => c.id}
            columns={[
              { id: "site", header: t("stockChecks.site"), cell: (c) => <SiteName id={c.siteId} /> },
              { id: "kind", header: t("stockChecks.kind"), cell: (c) => kindLabel(t, c.kind) },
              { id: "started", header: t("stockChecks.started"), cell: (c) => <Moment iso={c.startedAt} /> },
              {
                id: "sample",
                header: t("stockChecks.sampleSize"),
                cell: (c) => <Count n={c.sample.length} />,
                numeric: true,
              },
              ...(mayRecord
                ? [
                    {
                      id: "record",
                      header: t("stockChecks.result"),
                      cell: (c: StockCheck) => (
                        <button type="button" className="secondary" onClick={() => setRecording(c)}>
                          {t("stockChecks.recordOpen", { id: c.id.slice(0, 8) })}
                        </button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </QueryState>
      <Completed />
      <Overdue />
    </section>
  );
}

// Typed as TFunction, not ReturnType<typeof useTranslation>: the latter grows too deep for the
// compiler once the messages pass a certain size.
const kindLabel = (t: TFunction, kind: string): string =>
  kind === "weekly" || kind === "full" ? t(`stockChecks.kinds.${kind}`) : kind;

function Moment({ iso }: { iso: string }) {
  return <>{useFormat().dateTime(iso)}</>;
}

function Count({ n }: { n: number }) {
  return <>{useFormat().number(n)}</>;
}

/** Starts a check; the server's answer (the sample it drew, the stock expected) opens the count. */
function StartForm({ onStarted }: { onStarted: (check: StockCheck) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [siteId, setSite] = useState("");
  const [kind, setKind] = useState<(typeof stockCheckKinds)[number] | "">("weekly");
  const [at] = useState(() => new Date().toISOString());
  const form = useCommandForm<Started>("stock_check.start", stockCheckStart);
  function submit(event: FormEvent) {
    event.preventDefault();
    form.send({ siteId, kind, startedAt: at }, ({ data }) => {
      form.reset();
      onStarted({
        id: data.checkId,
        siteId: data.siteId,
        kind: data.kind,
        status: "open",
        startedAt: data.startedAt,
        expectedCount: data.expected.length,
        expectedCounts: data.expectedCounts,
        outOfStore: data.outOfStore,
        sample: data.sample,
        completedAt: null,
        findings: null,
      });
      void queries.invalidateQueries({ queryKey: ["stock-checks"] });
    });
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="start-title" className="work-form">
      <h2 id="start-title">{t("stockChecks.start")}</h2>
      <p className="hint">{t("stockChecks.startHint")}</p>
      <div className="inline-form">
        <SiteChoice
          label={t("stockChecks.depot")}
          kind="depot"
          value={siteId}
          onChange={setSite}
          error={form.error("payload.siteId")}
        />
        <Choice
          label={t("stockChecks.kind")}
          value={kind}
          options={stockCheckKinds}
          optionLabel={(k) => t(`stockChecks.kinds.${k}`)}
          onChange={setKind}
          error={form.error("payload.kind")}
        />
        <button type="submit" disabled={form.command.isPending}>
          {t("stockChecks.startSubmit")}
        </button>
      </div>
      {form.refusal([/^payload\.(siteId|kind)$/u])}
    </form>
  );
}

interface SampleAnswer {
  found: "" | "yes" | "no";
  tag: string;
  serial: string;
}

/**
 * The tag of each sampled weapon or loose key part (`W…/P1`), read from its trail, so the keeper
 * knows what to look for.
 */
function useSampleTags(sample: readonly { kind: string; id: string }[]) {
  const trails = useQueries({
    queries: sample.map((s) => ({
      queryKey: ["trail", s.kind, s.id],
      queryFn: () => getJson<{ item: { tag: string | null } }>(`/api/v1/items/${s.kind}/${s.id}/trail`),
      staleTime: 60_000,
    })),
  });
  return (n: number) => trails[n]?.data?.item.tag ?? undefined;
}

function RecordForm({ check, onClose }: { check: StockCheck; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queries = useQueryClient();
  const typeLabel = useItemTypeLabel();
  const finding = useFindingLabel();
  const types = Object.keys(check.expectedCounts).sort();
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [answers, setAnswers] = useState<SampleAnswer[]>(() =>
    check.sample.map(() => ({ found: "", tag: "", serial: "" })),
  );
  // The field shows the minute the form opened; left as it is, the completion is the moment the
  // result is sent (a check started a few seconds ago would otherwise end before it began).
  const [opened] = useState(() => localDateTime());
  const [at, setAt] = useState(opened);
  const [countedBy, setCountedBy] = useState(noSignatory);
  const [notes, setNotes] = useState("");
  const [done, setDone] = useState<Finding[] | undefined>(undefined);
  const tagOf = useSampleTags(check.sample);
  const form = useCommandForm<{ findings: Finding[] }>("stock_check.record", stockCheckRecord);
  const { error } = form;

  function submit(event: FormEvent) {
    event.preventDefault();
    form.send(
      {
        checkId: check.id,
        completedAt: at === opened ? new Date().toISOString() : isoDateTime(at),
        counts: types.map((k) => {
          const [kind, category] = k.split(":") as [string, string];
          return { kind, category, count: integer(counts[k] ?? "") };
        }),
        sample: check.sample.map((s, n) => {
          const a = answers[n]!;
          return {
            kind: s.kind,
            id: s.id,
            found: a.found === "yes" ? true : a.found === "no" ? false : undefined,
            tag: a.found === "yes" ? optional(a.tag) : undefined,
            serial: a.found === "yes" ? optional(a.serial) : undefined,
          };
        }),
        countedBy: [countedBy],
        notes: optional(notes),
      },
      (answer) => {
        setDone(answer.data.findings);
        void queries.invalidateQueries({ queryKey: ["stock-checks"] });
      },
    );
  }

  if (done) {
    const investigated = done.filter((f) => f.kind !== "surplus");
    return (
      <div className={investigated.length ? "notice notice-warning" : "notice notice-ok"} role="status">
        <p>
          {investigated.length
            ? t("stockChecks.investigations", { n: format.number(investigated.length) })
            : t("stockChecks.noShortfall")}
        </p>
        {done.length > 0 && (
          <ul>
            {done.map((f) => (
              <li key={f.id}>
                {finding(f.kind)}
                {f.category && ` — ${typeLabel(f.itemKind ?? f.item?.kind ?? "weapon", f.category)}`}
              </li>
            ))}
          </ul>
        )}
        <button type="button" onClick={onClose}>
          {t("custody.close")}
        </button>
      </div>
    );
  }

  const setAnswer = (n: number, a: Partial<SampleAnswer>) =>
    setAnswers(answers.map((x, j) => (j === n ? { ...x, ...a } : x)));
  return (
    <form onSubmit={submit} noValidate aria-labelledby="record-title" className="work-form">
      <h2 id="record-title">{t("stockChecks.record")}</h2>
      <p>
        <SiteName id={check.siteId} /> · {kindLabel(t, check.kind)} · {format.dateTime(check.startedAt)}
      </p>
      <TextField
        label={t("stockChecks.completedAt")}
        type="datetime-local"
        value={at}
        onChange={setAt}
        error={error("payload.completedAt")}
      />
      <fieldset className="form-grid">
        <legend>{t("stockChecks.counts")}</legend>
        {types.map((k) => {
          const [kind, category] = k.split(":") as [string, string];
          return (
            <TextField
              key={k}
              label={typeLabel(kind, category)}
              value={counts[k] ?? ""}
              onChange={(v) => setCounts({ ...counts, [k]: v })}
              code
            />
          );
        })}
        {error("payload.counts") && <p className="error">{error("payload.counts")}</p>}
      </fieldset>
      <fieldset>
        <legend>{t("stockChecks.sample", { n: format.number(check.sample.length) })}</legend>
        <p className="hint">{t("stockChecks.sampleHint")}</p>
        {check.sample.map((s, n) => {
          const tag = tagOf(n);
          const at = `payload.sample.${n}`;
          const name = tag ?? s.id.slice(0, 8);
          return (
            <div className="form-grid" key={s.id}>
              <Choice
                label={t("stockChecks.found", { item: name })}
                value={answers[n]!.found}
                options={["yes", "no"] as const}
                optionLabel={(o) => t(`common.${o}`)}
                onChange={(found) => setAnswer(n, { found })}
                prompt={t("lane.choosePrompt")}
                error={error(`${at}.found`, at)}
              />
              {answers[n]!.found === "yes" && (
                <>
                  <TextField
                    label={t("stockChecks.tagRead", { item: name })}
                    value={answers[n]!.tag}
                    onChange={(v) => setAnswer(n, { tag: v.toUpperCase() })}
                    error={error(`${at}.tag`)}
                    code
                  />
                  <TextField
                    label={t("stockChecks.serialRead", { item: name })}
                    value={answers[n]!.serial}
                    onChange={(serial) => setAnswer(n, { serial })}
                    error={error(`${at}.serial`)}
                    code
                  />
                </>
              )}
            </div>
          );
        })}
        {error("payload.sample") && <p className="error">{error("payload.sample")}</p>}
      </fieldset>
      <SignatoryFields
        legend={t("stockChecks.countedBy")}
        at="payload.countedBy.0"
        value={countedBy}
        onChange={setCountedBy}
        error={error}
      />
      <TextField
        label={t("stockChecks.notes")}
        value={notes}
        onChange={setNotes}
        error={error("payload.notes")}
        multiline
      />
      {form.refusal([
        /^payload\.(checkId|completedAt|counts|sample|notes|countedBy)$/u,
        /^payload\.sample\.\d+(\.found|\.tag|\.serial)?$/u,
        /^payload\.countedBy\.0(\.name|\.affiliation)?$/u,
      ])}
      <FormActions
        pending={form.command.isPending}
        label={t("stockChecks.recordSubmit")}
        onCancel={onClose}
      />
    </form>
  );
}

/** Completed checks and what they found (each finding but a surplus opened an investigation). */
function Completed() {
  const { t } = useTranslation();
  const finding = useFindingLabel();
  const typeLabel = useItemTypeLabel();
  const completed = useQuery({
    queryKey: ["stock-checks", "completed"],
    queryFn: () => getJson<{ items: StockCheck[] }>("/api/v1/stock-checks?status=completed&limit=50"),
  });
  return (
    <>
      <h2>{t("stockChecks.completed")}</h2>
      <QueryState query={completed}>
        {(data) => (
          <DataTable
            caption={t("stockChecks.completed")}
            rows={data.items}
            rowKey={(c) => c.id}
            columns={[
              { id: "site", header: t("stockChecks.site"), cell: (c) => <SiteName id={c.siteId} /> },
              { id: "kind", header: t("stockChecks.kind"), cell: (c) => kindLabel(t, c.kind) },
              {
                id: "completed",
                header: t("stockChecks.completedAt"),
                cell: (c) => (c.completedAt ? <Moment iso={c.completedAt} /> : ""),
              },
              {
                id: "findings",
                header: t("stockChecks.findingsHeader"),
                cell: (c) =>
                  (c.findings ?? []).length === 0
                    ? t("stockChecks.none")
                    : (c.findings ?? []).map((f) => (
                        <div key={f.id}>
                          {finding(f.kind)}
                          {f.category &&
                            ` — ${typeLabel(f.itemKind ?? f.item?.kind ?? "weapon", f.category)}`}{" "}
                          <Code>{f.id}</Code>
                        </div>
                      )),
              },
            ]}
          />
        )}
      </QueryState>
    </>
  );
}

/** The depots with a weekly or a full check overdue. */
function Overdue() {
  const { t } = useTranslation();
  const format = useFormat();
  const overdue = useQuery({
    queryKey: ["stock-checks", "overdue"],
    queryFn: () => getJson<{ items: Due[] }>("/api/v1/stock-checks/schedule?overdue=true"),
  });
  const due = (iso: string, late: boolean) => (
    <span className={late ? "error" : undefined}>
      {format.dateTime(iso)}
      {late && ` (${t("stockChecks.late")})`}
    </span>
  );
  return (
    <>
      <h2>{t("stockChecks.overdue")}</h2>
      <QueryState query={overdue}>
        {(data) => (
          <DataTable
            caption={t("stockChecks.overdue")}
            rows={data.items}
            rowKey={(d) => d.siteId}
            columns={[
              { id: "site", header: t("stockChecks.site"), cell: (d) => <SiteName id={d.siteId} /> },
              {
                id: "last",
                header: t("stockChecks.lastCheck"),
                cell: (d) => (d.lastCheck ? format.dateTime(d.lastCheck) : t("stockChecks.never")),
              },
              {
                id: "weekly",
                header: t("stockChecks.weeklyDue"),
                cell: (d) => due(d.weeklyDue, d.weeklyOverdue),
              },
              { id: "full", header: t("stockChecks.fullDue"), cell: (d) => due(d.fullDue, d.fullOverdue) },
            ]}
          />
        )}
      </QueryState>
    </>
  );
}
