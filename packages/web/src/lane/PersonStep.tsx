import { iraqGovernorates, type PersonSearchHit, personKind, person as personSchema } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiError, getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { sha256Hex } from "../format/sha256.ts";
import { useSettings } from "../settings/settings.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { Field } from "../ui/Field.tsx";
import { FieldProblem, OtherErrors, ProblemNotice } from "../ui/Problem.tsx";
import { Code, Entered } from "../ui/Text.tsx";
import { useQueuedCommand } from "./commands.ts";
import { type FieldErrors, schemaErrors, serverErrors, unplaced } from "./errors.ts";

/** The person the handover is for, as the lane needs them. */
export interface LanePerson {
  id: string;
  name: Name;
  /** "pending" holds the receipt until a reviewer decides (issue 5). */
  duplicateReview: string;
  /** Registered in this lane just now, rather than found. */
  justRegistered: boolean;
  /** The queued registration's command id while it waits to be sent (a handover then depends on it). */
  queuedAs?: string | undefined;
}

type Chain = { given: string; father?: string; grandfather?: string; family?: string };
/** A purged person's name parts are null (core personView). */
type Name = { arabic?: Chain | null; latin?: Chain | null };

const chainParts = ["given", "father", "grandfather", "family"] as const;
const chainText = (c: Chain | null | undefined) =>
  c ? chainParts.flatMap((p) => (c[p] ? [c[p]] : [])).join(" ") : "";

/** Both spellings, each in its own script (isolated, so an Arabic name reads right in English). */
export function PersonName({ name }: { name: Name }) {
  const arabic = chainText(name.arabic);
  const latin = chainText(name.latin);
  return (
    <>
      {arabic && <Entered>{arabic}</Entered>}
      {arabic && latin && " · "}
      {latin && <Entered>{latin}</Entered>}
    </>
  );
}

/** Waits until the officer pauses typing, so the search is not asked for every key. */
function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** GET /api/v1/persons/search: any spelling, either script; each person shown is logged as read. */
function usePersonSearch(text: string) {
  const q = useDebounced(text.trim().replace(/\s+/gu, " "));
  return useQuery({
    queryKey: ["persons", "search", q],
    queryFn: () =>
      getJson<{ items: PersonSearchHit[] }>(
        `/api/v1/persons/search?${new URLSearchParams({ q, limit: "10" })}`,
      ),
    enabled: q.length >= 2,
    staleTime: 10_000,
  });
}

export function PersonStep({ siteId, onChosen }: { siteId: string; onChosen: (p: LanePerson) => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<"find" | "register">("find");
  const [query, setQuery] = useState("");
  const [form, setForm] = useState<PersonForm>(emptyPerson);
  // While registering, the name being typed is the search: likely duplicates show as it grows.
  const typed = mode === "find" ? query : chainText(formName(form).arabic) || chainText(formName(form).latin);
  const hits = usePersonSearch(typed);
  const choose = (hit: PersonSearchHit) =>
    onChosen({
      id: hit.person.id,
      name: hit.person.name,
      duplicateReview: hit.person.duplicateReview,
      justRegistered: false,
    });

  return (
    <section aria-labelledby="lane-person">
      <h2 id="lane-person">{t("lane.personHeading")}</h2>
      {mode === "find" && (
        <div className="inline-form">
          <Field label={t("lane.search")} hint={t("lane.searchHint")}>
            {(control) => (
              <input
                {...control}
                type="search"
                dir="auto"
                autoComplete="off"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
              />
            )}
          </Field>
          <button type="button" onClick={() => setMode("register")}>
            {t("lane.registerNew")}
          </button>
        </div>
      )}
      {typed.trim().length >= 2 && (
        <SearchHits
          found={hits.data?.items}
          typed={typed}
          error={hits.error}
          pending={hits.isFetching}
          registering={mode === "register"}
          onChoose={choose}
        />
      )}
      {mode === "register" && (
        <RegisterForm
          siteId={siteId}
          form={form}
          setForm={setForm}
          onCancel={() => setMode("find")}
          onRegistered={onChosen}
        />
      )}
    </section>
  );
}

const words = (s: string) => s.trim().split(/\s+/u).filter(Boolean).length;

function SearchHits({
  found,
  typed,
  error,
  pending,
  registering,
  onChoose,
}: {
  found: PersonSearchHit[] | undefined;
  /** What was searched for. */
  typed: string;
  error: unknown;
  pending: boolean;
  registering: boolean;
  onChoose: (hit: PersonSearchHit) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { language } = useSettings();
  if (error) return <ProblemNotice error={error} />;
  if (!found) return pending ? <p role="status">{t("lane.searching")}</p> : null;
  // The search lists anyone sharing a word of the name; as a duplicate warning, one shared word
  // ("Ali") says little, so a name of several words must share two of them to be flagged.
  const hits = registering ? found.filter((h) => h.matchedWords >= Math.min(2, words(typed))) : found;
  const governorate = (code: string) => {
    const g = iraqGovernorates.find((x) => x.code === code);
    return g ? g[language] : code;
  };
  return (
    <div aria-live="polite">
      {registering && hits.length > 0 && (
        <p className="notice notice-warning" role="status">
          {t("lane.possibleDuplicates", { n: format.number(hits.length) })}
        </p>
      )}
      <DataTable
        caption={registering ? t("lane.similarPeople") : t("lane.searchResults")}
        rows={hits}
        rowKey={(h) => h.person.id}
        columns={[
          { id: "name", header: t("lane.name"), cell: (h) => <PersonName name={h.person.name} /> },
          {
            id: "mother",
            header: t("lane.motherName"),
            cell: (h) => <Entered>{h.person.motherName?.arabic ?? h.person.motherName?.latin ?? ""}</Entered>,
          },
          {
            id: "born",
            header: t("lane.born"),
            cell: (h) =>
              h.person.birthDate
                ? format.day(h.person.birthDate)
                : h.person.birthYear === null
                  ? ""
                  : format.year(h.person.birthYear),
          },
          {
            id: "governorate",
            header: t("lane.governorate"),
            cell: (h) => governorate(h.person.governorate),
          },
          {
            id: "nationalId",
            header: t("lane.nationalId"),
            cell: (h) => (h.person.nationalId ? <Code>{h.person.nationalId}</Code> : ""),
          },
          {
            id: "review",
            header: t("lane.review"),
            cell: (h) => (h.person.duplicateReview === "pending" ? t("lane.reviewPending") : ""),
          },
          {
            id: "choose",
            header: t("lane.action"),
            cell: (h) => (
              <button type="button" onClick={() => onChoose(h)}>
                {t("lane.choose")}
              </button>
            ),
          },
        ]}
      />
    </div>
  );
}

// ---- registration (person.register, core's `person` contract) ----

type ChainForm = Record<(typeof chainParts)[number], string>;
interface PersonForm {
  kind: string;
  arabic: ChainForm;
  latin: ChainForm;
  motherArabic: string;
  motherLatin: string;
  birthDate: string;
  birthYear: string;
  sex: string;
  governorate: string;
  groupId: string;
  role: string;
  nationalId: string;
  listedByGroup: boolean;
  consent: boolean;
  /** The photo's SHA-256 (its bytes travel with the queued command). */
  photo?: string;
}

const emptyChain: ChainForm = { given: "", father: "", grandfather: "", family: "" };
const emptyPerson: PersonForm = {
  kind: "combatant",
  arabic: emptyChain,
  latin: emptyChain,
  motherArabic: "",
  motherLatin: "",
  birthDate: "",
  birthYear: "",
  sex: "",
  governorate: "",
  groupId: "",
  role: "",
  nationalId: "",
  listedByGroup: false,
  consent: false,
};

/** An empty field is left out (the contract's optional fields), never sent as "". */
const opt = (s: string) => (s.trim() === "" ? undefined : s);

function chainOf(c: ChainForm): Chain | undefined {
  if (chainParts.every((p) => c[p].trim() === "")) return undefined;
  return Object.fromEntries(chainParts.flatMap((p) => (opt(c[p]) ? [[p, c[p]]] : []))) as Chain;
}

function formName(f: PersonForm): Name {
  const arabic = chainOf(f.arabic);
  const latin = chainOf(f.latin);
  return { ...(arabic ? { arabic } : {}), ...(latin ? { latin } : {}) };
}

/** The local calendar day (the consent is recorded on the officer's day, not UTC's). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export function personPayload(f: PersonForm, siteId: string, personId?: string) {
  const mother = { arabic: opt(f.motherArabic), latin: opt(f.motherLatin) };
  return {
    // Made here, so a handover queued offline can name the person before the server has them.
    ...(personId ? { personId } : {}),
    siteId,
    kind: f.kind,
    name: formName(f),
    ...(mother.arabic || mother.latin ? { motherName: JSON.parse(JSON.stringify(mother)) } : {}),
    birth: {
      ...(opt(f.birthDate) ? { date: f.birthDate } : {}),
      ...(opt(f.birthYear) ? { year: Number(f.birthYear) } : {}),
    },
    sex: opt(f.sex),
    governorate: opt(f.governorate),
    groupId: opt(f.groupId),
    role: opt(f.role),
    nationalId: opt(f.nationalId.toUpperCase()),
    listedByGroup: f.listedByGroup,
    ...(f.photo ? { photo: f.photo } : {}),
    consent: { given: f.consent, recordedOn: today() },
  };
}

interface Registered {
  personId: string;
  name: Name;
  duplicateReview?: string;
}

export type { PersonForm };

export function RegisterForm({
  siteId,
  form,
  setForm,
  onCancel,
  onRegistered,
  correcting,
}: {
  siteId: string;
  form: PersonForm;
  setForm: (f: PersonForm) => void;
  onCancel: () => void;
  onRegistered: (p: LanePerson) => void;
  /** A refused registration reopened from the queue: its person id, refusal and command id. */
  correcting?: { personId: string; problem: ApiError; commandId: string } | undefined;
}) {
  const { t } = useTranslation();
  const { language } = useSettings();
  const register = useQueuedCommand<Registered>("person.register");
  const [errors, setErrors] = useState<FieldErrors>(() =>
    correcting ? serverErrors(correcting.problem) : {},
  );
  // The person's id is made once per registration and kept through corrections.
  const [personId] = useState(() => correcting?.personId ?? crypto.randomUUID());
  const [photo, setPhoto] = useState<{ sha256: string; bytes: Uint8Array<ArrayBuffer> } | undefined>(
    undefined,
  );
  const groups = useQuery({
    queryKey: ["groups"],
    queryFn: () => getJson<{ items: { id: string; nameAr: string; nameEn: string }[] }>("/api/v1/groups"),
    staleTime: 5 * 60_000,
  });
  const set = <K extends keyof PersonForm>(key: K, value: PersonForm[K]) =>
    setForm({ ...form, [key]: value });
  const shown = new Set<string>();
  /** The first error among `paths`, shown next to one field (a group's own error on its first field). */
  const error = (...paths: string[]) => {
    for (const p of paths) shown.add(p);
    const found = paths.map((p) => errors[p]).find(Boolean);
    return found ? <FieldProblem {...found} /> : undefined;
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const payload = personPayload(form, siteId, personId);
    const checked = personSchema.safeParse(payload);
    if (!checked.success) {
      setErrors(schemaErrors(checked.error, payload));
      return;
    }
    setErrors({});
    const files = photo && photo.sha256 === form.photo ? [photo] : [];
    register.mutate(
      { payload, form, files, replaces: correcting?.commandId },
      {
        onSuccess: (outcome) =>
          onRegistered(
            outcome.status === "sent"
              ? {
                  id: outcome.answer.data.personId,
                  name: outcome.answer.data.name,
                  duplicateReview: outcome.answer.data.duplicateReview ?? "none",
                  justRegistered: true,
                }
              : {
                  id: personId,
                  name: formName(form),
                  duplicateReview: "none",
                  justRegistered: true,
                  queuedAs: outcome.entry.commandId,
                },
          ),
        onError: (e) => setErrors(serverErrors(e)),
      },
    );
  }

  const chainFields = (script: "arabic" | "latin") =>
    chainParts.map((part) => (
      <Field
        key={`${script}-${part}`}
        label={t(`lane.${script}Name.${part}`)}
        error={error(
          `payload.name.${script}.${part}`,
          ...(part === "given" ? [`payload.name.${script}`] : []),
        )}
      >
        {(control) => (
          <input
            {...control}
            lang={script === "arabic" ? "ar" : "en"}
            dir={script === "arabic" ? "rtl" : "ltr"}
            autoComplete="off"
            value={form[script][part]}
            onChange={(e) => set(script, { ...form[script], [part]: e.target.value })}
          />
        )}
      </Field>
    ));

  const nameError = error("payload.name");
  const form_ = (
    <form onSubmit={submit} noValidate aria-labelledby="lane-register">
      <h3 id="lane-register">{t("lane.registerHeading")}</h3>
      <p className="hint">{t("lane.nameHint")}</p>
      {nameError && (
        <p className="error" role="alert">
          {nameError}
        </p>
      )}
      <fieldset className="lane-grid">
        <legend>{t("lane.arabicName.legend")}</legend>
        {chainFields("arabic")}
      </fieldset>
      <fieldset className="lane-grid">
        <legend>{t("lane.latinName.legend")}</legend>
        {chainFields("latin")}
      </fieldset>
      <fieldset className="lane-grid">
        <legend>{t("lane.details")}</legend>
        <Field
          label={t("lane.motherArabic")}
          error={error("payload.motherName.arabic", "payload.motherName")}
        >
          {(control) => (
            <input
              {...control}
              lang="ar"
              dir="rtl"
              value={form.motherArabic}
              onChange={(e) => set("motherArabic", e.target.value)}
            />
          )}
        </Field>
        <Field label={t("lane.motherLatin")} error={error("payload.motherName.latin")}>
          {(control) => (
            <input
              {...control}
              lang="en"
              dir="ltr"
              value={form.motherLatin}
              onChange={(e) => set("motherLatin", e.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("lane.birthDate")}
          hint={t("lane.birthHint")}
          error={error("payload.birth.date", "payload.birth")}
        >
          {(control) => (
            <input
              {...control}
              type="date"
              value={form.birthDate}
              onChange={(e) => set("birthDate", e.target.value)}
            />
          )}
        </Field>
        <Field label={t("lane.birthYear")} error={error("payload.birth.year")}>
          {(control) => (
            <input
              {...control}
              inputMode="numeric"
              dir="ltr"
              value={form.birthYear}
              onChange={(e) =>
                set(
                  "birthYear",
                  e.target.value.replace(/[٠-٩]/gu, (d) => String(d.charCodeAt(0) - 0x660)),
                )
              }
            />
          )}
        </Field>
        <Field label={t("lane.sex")} error={error("payload.sex")}>
          {(control) => (
            <select {...control} value={form.sex} onChange={(e) => set("sex", e.target.value)}>
              <option value="">{t("lane.choosePrompt")}</option>
              <option value="male">{t("lane.sexes.male")}</option>
              <option value="female">{t("lane.sexes.female")}</option>
            </select>
          )}
        </Field>
        <Field label={t("lane.governorate")} error={error("payload.governorate")}>
          {(control) => (
            <select
              {...control}
              value={form.governorate}
              onChange={(e) => set("governorate", e.target.value)}
            >
              <option value="">{t("lane.choosePrompt")}</option>
              {iraqGovernorates.map((g) => (
                <option key={g.code} value={g.code}>
                  {g[language]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("lane.kind")} error={error("payload.kind")}>
          {(control) => (
            <select {...control} value={form.kind} onChange={(e) => set("kind", e.target.value)}>
              {personKind.options.map((k) => (
                <option key={k} value={k}>
                  {t(`lane.kinds.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("lane.group")} error={error("payload.groupId")}>
          {(control) => (
            <select {...control} value={form.groupId} onChange={(e) => set("groupId", e.target.value)}>
              <option value="">{t("lane.noGroup")}</option>
              {(groups.data?.items ?? []).map((g) => (
                <option key={g.id} value={g.id}>
                  {language === "ar" ? g.nameAr : g.nameEn}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("lane.role")} error={error("payload.role")}>
          {(control) => (
            <input {...control} dir="auto" value={form.role} onChange={(e) => set("role", e.target.value)} />
          )}
        </Field>
        <Field
          label={t("lane.nationalId")}
          hint={t("lane.nationalIdHint")}
          error={error("payload.nationalId")}
        >
          {(control) => (
            <input
              {...control}
              dir="ltr"
              autoComplete="off"
              value={form.nationalId}
              onChange={(e) => set("nationalId", e.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("queue.personPhoto")}
          hint={form.photo ? `${t("queue.photoHint")} ${t("queue.photoAttached")}` : t("queue.photoHint")}
          error={error("payload.photo")}
        >
          {(control) => (
            <input
              {...control}
              type="file"
              accept="image/*"
              capture="user"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                const bytes = new Uint8Array(await file.arrayBuffer());
                const sha256 = await sha256Hex(bytes);
                setPhoto({ sha256, bytes });
                setForm({ ...form, photo: sha256 });
              }}
            />
          )}
        </Field>
      </fieldset>
      <div className="checks">
        <label>
          <input
            type="checkbox"
            checked={form.listedByGroup}
            onChange={(e) => set("listedByGroup", e.target.checked)}
          />{" "}
          {t("lane.listedByGroup")}
        </label>
        <label>
          <input type="checkbox" checked={form.consent} onChange={(e) => set("consent", e.target.checked)} />{" "}
          {t("lane.consent")}
        </label>
      </div>
      {register.isError ? (
        <ProblemNotice error={register.error} />
      ) : (
        correcting && register.isIdle && <ProblemNotice error={correcting.problem} />
      )}
      <OtherErrors errors={unplaced(errors, (p) => shown.has(p))} />
      <div className="actions">
        <button type="submit" disabled={register.isPending}>
          {register.isPending ? t("lane.registering") : t("lane.register")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("lane.backToSearch")}
        </button>
      </div>
    </form>
  );
  return form_;
}
