import { roleMay } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError, getJson } from "../api/client.ts";
import { TextField } from "../custody/form.tsx";
import { type Format, useFormat } from "../format/format.ts";
import { useAccount } from "../session/session.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code, Entered } from "../ui/Text.tsx";
import { Cards } from "./Cards.tsx";
import { Pathways } from "./Pathways.tsx";
import { EligibilityStanding } from "./Standing.tsx";

interface NameChain {
  given: string;
  father?: string;
  grandfather?: string;
  family?: string;
}

/** A person as GET /api/v1/persons/:id gives it. */
interface Person {
  id: string;
  kind: string;
  /** A purged person: their name parts and every other personal field are null. */
  name: { arabic?: NameChain | null; latin?: NameChain | null };
  birthDate: string | null;
  birthYear: number | null;
  sex: string;
  governorate: string;
  nationalId: string | null;
  registeredOn: string;
  ageGroup: string;
  eligible: boolean;
  /** Erased by a purge (the person's own, or everyone's): shown as such, not as missing. */
  purged: boolean;
}

interface AccessEntry {
  id: number;
  at: string;
  username: string;
  role: string;
  channel: string;
  purpose: string | null;
  breakGlass: boolean;
}

/** The reason a break-the-glass read must give, as the API checks it. */
export const BREAK_GLASS_REASON = { min: 20, max: 500 } as const;

const chain = (n: NameChain | null | undefined) =>
  n ? [n.given, n.father, n.grandfather, n.family].filter(Boolean).join(" ") : undefined;

/** The day of birth, or only the year when that is all that was recorded, in the reader's digits. */
const born = (format: Format, p: Pick<Person, "birthDate" | "birthYear">) =>
  p.birthDate ? format.day(p.birthDate) : p.birthYear ? format.year(p.birthYear) : "—";

/** `/persons`: find a person by name in either script; `/persons/:id`: the person's record. */
export function PersonsPage() {
  const { id } = useParams();
  return id ? <PersonRecord key={id} id={id} /> : <PersonSearch />;
}

function PersonSearch() {
  const { t } = useTranslation();
  const format = useFormat();
  const [typed, setTyped] = useState("");
  const [asked, setAsked] = useState("");
  const hits = useQuery({
    queryKey: ["persons", "search", asked],
    queryFn: () =>
      getJson<{ items: { person: Person }[] }>(`/api/v1/persons/search?q=${encodeURIComponent(asked)}`),
    enabled: asked !== "",
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    setAsked(typed.trim());
  }
  return (
    <section aria-labelledby="persons-title">
      <h1 id="persons-title">{t("persons.title")}</h1>
      <search>
        <form onSubmit={submit} className="work-form">
          <TextField
            label={t("persons.searchLabel")}
            hint={t("persons.searchHint")}
            value={typed}
            onChange={setTyped}
          />
          <div className="actions">
            <button type="submit">{t("persons.search")}</button>
          </div>
        </form>
      </search>
      <p className="hint">{t("persons.recorded")}</p>
      {asked !== "" && (
        <QueryState query={hits}>
          {({ items }) => (
            <DataTable<{ person: Person }>
              caption={t("persons.results")}
              rows={items}
              rowKey={(h) => h.person.id}
              columns={[
                {
                  id: "name",
                  header: t("persons.name"),
                  cell: (h) => (
                    <Link to={`/persons/${h.person.id}`}>
                      <Entered>{chain(h.person.name.arabic) ?? chain(h.person.name.latin)}</Entered>
                    </Link>
                  ),
                },
                {
                  id: "latin",
                  header: t("persons.latinName"),
                  cell: (h) => <Entered>{chain(h.person.name.latin)}</Entered>,
                },
                {
                  id: "born",
                  header: t("persons.born"),
                  cell: (h) => born(format, h.person),
                },
              ]}
            />
          )}
        </QueryState>
      )}
    </section>
  );
}

function PersonRecord({ id }: { id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const role = useAccount().data?.role;
  // The reason for breaking the glass goes with the one read the officer asked for by giving it,
  // and is then forgotten: every read with it outside the scope is logged, flagged and shown to
  // the administrators as an alert, so the app never sends it again by itself. A later read
  // (after the officer's own command, which the server allows only within their scope) is an
  // ordinary, logged read; if the person is still out of reach it answers 404 and the page asks
  // for a reason again.
  const reason = useRef<string | undefined>(undefined);
  const person = useQuery({
    queryKey: ["persons", id],
    queryFn: () => {
      const glass = reason.current;
      reason.current = undefined;
      // In a header, never the URL (proxies and access logs keep URLs); percent-encoded, as a
      // header carries no Arabic.
      return getJson<Person>(
        `/api/v1/persons/${id}`,
        glass ? { "x-break-glass-reason": encodeURIComponent(glass) } : undefined,
      );
    },
    retry: false,
    // Not read again when the network returns: each read of a person is logged.
    refetchOnReconnect: false,
    // Not kept once the record is left: a record read through the broken glass stays on screen
    // only while it is open, and opening it again is a new read.
    gcTime: 0,
  });
  const breakGlass = (given: string) => {
    reason.current = given;
    void person.refetch();
  };
  const outOfReach = person.error instanceof ApiError && person.error.status === 404;
  return (
    <section aria-labelledby="person-title">
      <h1 id="person-title">{t("persons.record")}</h1>
      <p className="notice notice-warning">{t("persons.recorded")}</p>
      {outOfReach ? (
        <>
          <p className="notice notice-error">{t("persons.outOfScope")}</p>
          <BreakGlass onRead={breakGlass} />
        </>
      ) : (
        <QueryState query={person}>
          {(p) => (
            <>
              {p.purged && <p className="notice notice-warning">{t("persons.purgedNotice")}</p>}
              <dl className="facts">
                <dt>{t("persons.arabicName")}</dt>
                <dd>{p.purged ? t("persons.purged") : <Entered>{chain(p.name.arabic) ?? "—"}</Entered>}</dd>
                <dt>{t("persons.latinName")}</dt>
                <dd>{p.purged ? t("persons.purged") : <Entered>{chain(p.name.latin) ?? "—"}</Entered>}</dd>
                <dt>{t("persons.born")}</dt>
                <dd>{born(format, p)}</dd>
                <dt>{t("persons.nationalId")}</dt>
                <dd>{p.purged ? t("persons.purged") : p.nationalId ? <Code>{p.nationalId}</Code> : "—"}</dd>
                <dt>{t("persons.registeredOn")}</dt>
                <dd>{format.day(p.registeredOn)}</dd>
                <dt>{t("persons.eligibility")}</dt>
                <dd>{p.eligible ? t("persons.eligible") : t("persons.notEligible")}</dd>
              </dl>
              <EligibilityStanding personId={p.id} />
              {role !== undefined && roleMay(role, "card.status") && <Cards personId={p.id} />}
              {role !== undefined && roleMay(role, "pathway.read") && <Pathways personId={p.id} />}
              {role !== undefined && roleMay(role, "person.access_history") && <AccessHistory id={p.id} />}
            </>
          )}
        </QueryState>
      )}
    </section>
  );
}

function BreakGlass({ onRead }: { onRead: (reason: string) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  function submit(event: FormEvent) {
    event.preventDefault();
    const given = reason.trim();
    if (given.length < BREAK_GLASS_REASON.min || given.length > BREAK_GLASS_REASON.max) {
      setError(t("persons.breakGlassLength", BREAK_GLASS_REASON));
      return;
    }
    onRead(given);
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="break-glass-title" className="work-form break-glass">
      <h2 id="break-glass-title">{t("persons.breakGlass")}</h2>
      <p className="notice notice-warning">{t("persons.breakGlassWarning")}</p>
      <TextField
        label={t("persons.breakGlassReason")}
        hint={t("persons.breakGlassLength", BREAK_GLASS_REASON)}
        value={reason}
        onChange={setReason}
        error={error}
        multiline
      />
      <div className="actions">
        <button type="submit">{t("persons.breakGlassSubmit")}</button>
      </div>
    </form>
  );
}

function AccessHistory({ id }: { id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const history = useQuery({
    queryKey: ["persons", id, "access-history"],
    queryFn: () => getJson<{ items: AccessEntry[] }>(`/api/v1/persons/${id}/access-history`),
  });
  return (
    <QueryState query={history}>
      {({ items }) => (
        <DataTable<AccessEntry>
          caption={t("persons.accessHistory")}
          rows={items}
          rowKey={(e) => String(e.id)}
          columns={[
            { id: "at", header: t("persons.at"), cell: (e) => format.dateTime(e.at) },
            { id: "who", header: t("persons.who"), cell: (e) => <Entered>{e.username}</Entered> },
            { id: "channel", header: t("persons.channel"), cell: (e) => <Code>{e.channel}</Code> },
            {
              id: "purpose",
              header: t("persons.purpose"),
              cell: (e) => (
                <>
                  {e.breakGlass && <strong>{t("persons.brokeGlass")} </strong>}
                  <Entered>{e.purpose ?? ""}</Entered>
                </>
              ),
            },
          ]}
        />
      )}
    </QueryState>
  );
}
