import {
  cacheClearance,
  cacheReport,
  cacheStatuses,
  cacheVerification,
  iraqGovernorates,
  roleMay,
} from "@armsledger/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { integer } from "../format/parse.ts";
import { useAccount } from "../session/session.ts";
import { useSettings } from "../settings/settings.tsx";
import { Choice } from "../ui/Choice.tsx";
import { ProblemNotice } from "../ui/Problem.tsx";
import { Code, Entered } from "../ui/Text.tsx";
import {
  FormActions,
  isoDateTime,
  localDateTime,
  noSignatory,
  OpenFormButton,
  optional,
  SignatoryFields,
  TextField,
  useCommandForm,
} from "./form.tsx";
import { useItemTypeLabel } from "./labels.ts";
import { StatusList } from "./StatusList.tsx";

type Status = (typeof cacheStatuses)[number];

/** A cache as GET /api/v1/caches lists it: no source, no exact location. */
interface Cache {
  id: string;
  governorate: string;
  groupId: string | null;
  declaredContents: { kind: string; category: string; count: number }[];
  status: string;
  reportedAt: string;
  extractions: unknown[];
}

const known = (s: string): s is Status => (cacheStatuses as readonly string[]).includes(s);

/**
 * Caches by status for everyone who follows them; reporting, verifying and clearing for the roles
 * core's policy allows; the protected source and exact location only for the roles that may read
 * them (GET /api/v1/caches/:id/source, asked for one cache at a time, never in the list).
 */
export function CachesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { language } = useSettings();
  const typeLabel = useItemTypeLabel();
  const role = useAccount().data?.role;
  const may = (action: "cache.report" | "cache.verify" | "cache.clear" | "cache.source.read") =>
    role !== undefined && roleMay(role, action);
  const [open, setOpen] = useState<{ form: "verify" | "clear" | "source"; cache: Cache } | undefined>();
  const [reporting, setReporting] = useState(false);
  const status = (s: string) => (known(s) ? t(`caches.statuses.${s}`) : s);
  const governorate = (code: string) => iraqGovernorates.find((g) => g.code === code)?.[language] ?? code;
  const action = (form: "verify" | "clear" | "source", cache: Cache, label: string) => (
    <button type="button" className="secondary" onClick={() => setOpen({ form, cache })}>
      {label}
    </button>
  );
  const close = () => setOpen(undefined);
  return (
    <StatusList<Cache, Status>
      id="caches"
      title={t("caches.title")}
      path="/api/v1/caches"
      statuses={cacheStatuses}
      allLabel={t("transfers.all")}
      statusLabel={status}
      rowKey={(c) => c.id}
      columns={[
        { id: "governorate", header: t("caches.governorate"), cell: (c) => governorate(c.governorate) },
        { id: "reported", header: t("caches.reportedAt"), cell: (c) => format.dateTime(c.reportedAt) },
        {
          id: "declared",
          header: t("caches.declared"),
          cell: (c) =>
            c.declaredContents.map((d) => (
              <div key={`${d.kind}:${d.category}`}>
                {typeLabel(d.kind, d.category)}: {format.number(d.count)}
              </div>
            )),
        },
        {
          id: "extractions",
          header: t("caches.extractions"),
          cell: (c) => format.number(c.extractions.length),
          numeric: true,
        },
        { id: "status", header: t("caches.status"), cell: (c) => status(c.status) },
        {
          id: "actions",
          header: t("caches.actions"),
          cell: (c) => {
            const id = c.id.slice(0, 8);
            return (
              <div className="actions">
                {c.status === "reported" &&
                  may("cache.verify") &&
                  action("verify", c, t("caches.verify", { id }))}
                {c.status === "verified" &&
                  may("cache.clear") &&
                  action("clear", c, t("caches.clear", { id }))}
                {may("cache.source.read") && action("source", c, t("caches.showSource", { id }))}
              </div>
            );
          },
        },
      ]}
    >
      {open?.form === "verify" && <VerifyForm key={open.cache.id} cache={open.cache} onClose={close} />}
      {open?.form === "clear" && <ClearForm key={open.cache.id} cache={open.cache} onClose={close} />}
      {open?.form === "source" && <Source key={open.cache.id} cache={open.cache} onClose={close} />}
      {!open &&
        may("cache.report") &&
        (reporting ? (
          <ReportForm onClose={() => setReporting(false)} />
        ) : (
          <OpenFormButton label={t("caches.report")} onOpen={() => setReporting(true)} />
        ))}
    </StatusList>
  );
}

function useDone(onClose: () => void) {
  const queries = useQueryClient();
  return () => {
    void queries.invalidateQueries({ queryKey: ["caches"] });
    onClose();
  };
}

interface Declared {
  key: number;
  kind: "weapon" | "ammunition";
  category: string;
  count: string;
}

let nextKey = 1;

function ReportForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { language } = useSettings();
  const done = useDone(onClose);
  const [at, setAt] = useState(() => localDateTime());
  const [source, setSource] = useState(noSignatory);
  const [how, setHow] = useState("");
  const [governorate, setGovernorate] = useState("");
  const [description, setDescription] = useState("");
  const [lat, setLat] = useState("");
  const [lon, setLon] = useState("");
  const [groupId, setGroup] = useState("");
  const [declared, setDeclared] = useState<Declared[]>([]);
  const groups = useQuery({
    queryKey: ["groups"],
    queryFn: () => getJson<{ items: { id: string; nameAr: string; nameEn: string }[] }>("/api/v1/groups"),
    staleTime: 5 * 60_000,
  });
  const groupName = new Map(
    (groups.data?.items ?? []).map((g) => [g.id, language === "ar" ? g.nameAr : g.nameEn]),
  );
  const form = useCommandForm<{ cacheId: string }>("cache.report", cacheReport);
  const { error } = form;
  const number = (s: string) =>
    s.trim() === "" ? undefined : Number(s.replace(/[٠-٩]/gu, (d) => String(d.charCodeAt(0) - 0x660)));
  function submit(event: FormEvent) {
    event.preventDefault();
    const coordinates = lat.trim() || lon.trim() ? { lat: number(lat), lon: number(lon) } : undefined;
    form.send(
      {
        reportedAt: isoDateTime(at),
        source: { ...source, how: optional(how) },
        governorate,
        location: { coordinates, description },
        groupId: optional(groupId),
        declaredContents: declared.map((d) => ({
          kind: d.kind,
          category: d.category,
          count: integer(d.count),
        })),
      },
      done,
    );
  }
  const setRow = (key: number, x: Partial<Declared>) =>
    setDeclared(declared.map((d) => (d.key === key ? { ...d, ...x } : d)));
  return (
    <form onSubmit={submit} noValidate aria-labelledby="cache-report-title" className="work-form">
      <h2 id="cache-report-title">{t("caches.report")}</h2>
      <TextField
        label={t("caches.reportedAt")}
        type="datetime-local"
        value={at}
        onChange={setAt}
        error={error("payload.reportedAt")}
      />
      <p className="hint">{t("caches.protected")}</p>
      <SignatoryFields
        legend={t("caches.source")}
        at="payload.source"
        value={source}
        onChange={setSource}
        error={error}
      >
        <TextField
          label={t("caches.how")}
          value={how}
          onChange={setHow}
          error={error("payload.source.how")}
        />
      </SignatoryFields>
      <fieldset className="form-grid">
        <legend>{t("caches.location")}</legend>
        <Choice
          label={t("caches.governorate")}
          value={governorate}
          options={iraqGovernorates.map((g) => g.code)}
          optionLabel={(code) => iraqGovernorates.find((g) => g.code === code)?.[language] ?? code}
          onChange={setGovernorate}
          prompt={t("lane.choosePrompt")}
          error={error("payload.governorate")}
        />
        <TextField
          label={t("caches.description")}
          value={description}
          onChange={setDescription}
          error={error("payload.location.description", "payload.location")}
        />
        <TextField
          label={t("caches.lat")}
          value={lat}
          onChange={setLat}
          error={error("payload.location.coordinates.lat", "payload.location.coordinates")}
          code
        />
        <TextField
          label={t("caches.lon")}
          value={lon}
          onChange={setLon}
          error={error("payload.location.coordinates.lon")}
          code
        />
      </fieldset>
      <Choice
        label={t("caches.group")}
        value={groupId}
        options={(groups.data?.items ?? []).map((g) => g.id)}
        optionLabel={(id) => groupName.get(id) ?? id}
        onChange={setGroup}
        prompt={t("caches.noGroup")}
        error={error("payload.groupId")}
      />
      <fieldset>
        <legend>{t("caches.declared")}</legend>
        {declared.map((d, n) => (
          <div className="form-grid" key={d.key}>
            <Choice
              label={t("caches.declaredKind", { n: format.number(n + 1) })}
              value={d.kind}
              options={["weapon", "ammunition"] as const}
              optionLabel={(k) => t(`trail.${k}`)}
              onChange={(kind) => setRow(d.key, { kind: kind || "weapon" })}
            />
            <TextField
              label={t("caches.declaredCategory", { n: format.number(n + 1) })}
              hint={t("caches.categoryHint")}
              value={d.category}
              onChange={(category) => setRow(d.key, { category })}
              error={error(`payload.declaredContents.${n}.category`, `payload.declaredContents.${n}`)}
              code
            />
            <TextField
              label={t("caches.declaredCount", { n: format.number(n + 1) })}
              value={d.count}
              onChange={(count) => setRow(d.key, { count })}
              error={error(`payload.declaredContents.${n}.count`)}
              code
            />
          </div>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() =>
            setDeclared([...declared, { key: nextKey++, kind: "weapon", category: "", count: "" }])
          }
        >
          {t("caches.addDeclared")}
        </button>
      </fieldset>
      {form.refusal([
        /^payload\.(reportedAt|governorate|groupId|declaredContents)$/u,
        /^payload\.source(\.name|\.affiliation|\.how)?$/u,
        /^payload\.location(\.description|\.coordinates(\.lat|\.lon)?)?$/u,
        /^payload\.declaredContents\.\d+(\.category|\.count)?$/u,
      ])}
      <FormActions pending={form.command.isPending} label={t("caches.reportSubmit")} onCancel={onClose} />
    </form>
  );
}

function VerifyForm({ cache, onClose }: { cache: Cache; onClose: () => void }) {
  const { t } = useTranslation();
  const done = useDone(onClose);
  const [at, setAt] = useState(() => localDateTime());
  const [findings, setFindings] = useState("");
  const form = useCommandForm("cache.verify", cacheVerification);
  const { error } = form;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        form.send({ cacheId: cache.id, verifiedAt: isoDateTime(at), findings }, done);
      }}
      noValidate
      aria-labelledby="cache-verify-title"
      className="work-form"
    >
      <h2 id="cache-verify-title">{t("caches.verify", { id: cache.id.slice(0, 8) })}</h2>
      <TextField
        label={t("caches.verifiedAt")}
        type="datetime-local"
        value={at}
        onChange={setAt}
        error={error("payload.verifiedAt")}
      />
      <TextField
        label={t("caches.findings")}
        value={findings}
        onChange={setFindings}
        error={error("payload.findings")}
        multiline
      />
      {form.refusal([/^payload\.(cacheId|verifiedAt|findings)$/u])}
      <FormActions pending={form.command.isPending} label={t("caches.verifySubmit")} onCancel={onClose} />
    </form>
  );
}

const outcomes = ["cleared", "residue_handed_over"] as const;

function ClearForm({ cache, onClose }: { cache: Cache; onClose: () => void }) {
  const { t } = useTranslation();
  const done = useDone(onClose);
  const [at, setAt] = useState(() => localDateTime());
  const [outcome, setOutcome] = useState<(typeof outcomes)[number] | "">("cleared");
  const [reason, setReason] = useState("");
  const form = useCommandForm("cache.clear", cacheClearance);
  const { error } = form;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        form.send(
          {
            cacheId: cache.id,
            clearedAt: isoDateTime(at),
            outcome,
            residueReason: outcome === "residue_handed_over" ? optional(reason) : undefined,
          },
          done,
        );
      }}
      noValidate
      aria-labelledby="cache-clear-title"
      className="work-form"
    >
      <h2 id="cache-clear-title">{t("caches.clear", { id: cache.id.slice(0, 8) })}</h2>
      <TextField
        label={t("caches.clearedAt")}
        type="datetime-local"
        value={at}
        onChange={setAt}
        error={error("payload.clearedAt")}
      />
      <Choice
        label={t("caches.outcome")}
        value={outcome}
        options={outcomes}
        optionLabel={(o) => t(`caches.statuses.${o}`)}
        onChange={setOutcome}
        error={error("payload.outcome")}
      />
      {outcome === "residue_handed_over" && (
        <TextField
          label={t("caches.residueReason")}
          value={reason}
          onChange={setReason}
          error={error("payload.residueReason")}
          multiline
        />
      )}
      {form.refusal([/^payload\.(cacheId|clearedAt|outcome|residueReason)$/u])}
      <FormActions pending={form.command.isPending} label={t("caches.clearSubmit")} onCancel={onClose} />
    </form>
  );
}

/** The protected part of one report, read only when asked for and only by the roles that may. */
function Source({ cache, onClose }: { cache: Cache; onClose: () => void }) {
  const { t } = useTranslation();
  const source = useQuery({
    queryKey: ["cache-source", cache.id],
    queryFn: () =>
      getJson<{
        source: { name?: string; affiliation?: string; how?: string } | null;
        location: { description?: string; coordinates?: { lat: number; lon: number } } | null;
      }>(`/api/v1/caches/${cache.id}/source`),
    // Not kept once the panel is closed: the next look asks the server again.
    gcTime: 0,
  });
  return (
    <section aria-labelledby="cache-source-title" className="notice">
      <h2 id="cache-source-title">{t("caches.sourceTitle", { id: cache.id.slice(0, 8) })}</h2>
      {source.isPending && <p role="status">{t("common.loading")}</p>}
      {source.isError && <ProblemNotice error={source.error} />}
      {source.data && (
        <dl>
          <dt>{t("caches.source")}</dt>
          <dd>
            <Entered>{source.data.source?.name}</Entered> (
            <Entered>{source.data.source?.affiliation}</Entered>)
            {source.data.source?.how && (
              <>
                {" — "}
                <Entered>{source.data.source.how}</Entered>
              </>
            )}
          </dd>
          <dt>{t("caches.location")}</dt>
          <dd>
            <Entered>{source.data.location?.description}</Entered>
            {source.data.location?.coordinates && (
              <>
                {" "}
                <Code>{`${source.data.location.coordinates.lat}, ${source.data.location.coordinates.lon}`}</Code>
              </>
            )}
          </dd>
        </dl>
      )}
      <button type="button" onClick={onClose}>
        {t("custody.close")}
      </button>
    </section>
  );
}
