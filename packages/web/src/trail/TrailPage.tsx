import { type ItemKind, type ItemTrailView, itemStates } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { ApiError, getJson } from "../api/client.ts";
import {
  CorrectPartForm,
  KeyPartLabelLink,
  ReattachPartForm,
  SeparatePartForm,
  useKeyPartName,
  useMay,
} from "../custody/KeyPartForms.tsx";
import { useFormat } from "../format/format.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { Field } from "../ui/Field.tsx";
import { ProblemNotice } from "../ui/Problem.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code } from "../ui/Text.tsx";

type Kind = ItemKind;

/** GET /api/v1/items/:kind/:id/trail. */
type Trail = ItemTrailView;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

const kinds: readonly Kind[] = ["weapon", "ammunition", "key_part"];

export function TrailPage() {
  const { t } = useTranslation();
  // A link to one item's trail (from the dashboard's anomalies): /trail?kind=weapon&id=…
  const [params] = useSearchParams();
  const linked = linkedItem(params);
  const [kind, setKind] = useState<Kind>(linked?.kind ?? "weapon");
  const [id, setId] = useState(linked?.id ?? "");
  const [invalid, setInvalid] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [asked, setAsked] = useState<{ kind: Kind; id: string } | undefined>(linked);
  // Following a link from one trail to another (a weapon's part, a part's weapon) on this page.
  const linkedKey = linked ? `${linked.kind}:${linked.id}` : "";
  // biome-ignore lint/correctness/useExhaustiveDependencies: the link's key stands for `linked`.
  useEffect(() => {
    if (!linked) return;
    setKind(linked.kind);
    setId(linked.id);
    setAsked(linked);
  }, [linkedKey]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const typed = id.trim();
    setInvalid(undefined);
    setFailure(undefined);
    if (UUID.test(typed)) return setAsked({ kind, id: typed.toLowerCase() });
    if (typed === "") return setInvalid(t("trail.idInvalid"));
    // A label scanned or typed: the server says what it names, within the reader's scope.
    try {
      const item = await getJson<{ kind: Kind; id: string }>(
        `/api/v1/items?tag=${encodeURIComponent(typed)}`,
      );
      setKind(item.kind);
      setAsked({ kind: item.kind, id: item.id });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setInvalid(t("custody.items.noSuchTag", { tag: typed }));
      else setFailure(e);
    }
  }

  return (
    <section aria-labelledby="trail-title">
      <h1 id="trail-title">{t("trail.title")}</h1>
      <p>{t("trail.intro")}</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="inline-form">
        <Field label={t("trail.kind")}>
          {(control) => (
            <select {...control} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <option value="weapon">{t("trail.weapon")}</option>
              <option value="ammunition">{t("trail.ammunition")}</option>
              <option value="key_part">{t("trail.key_part")}</option>
            </select>
          )}
        </Field>
        <Field label={t("trail.id")} hint={t("trail.idHint")} error={invalid}>
          {(control) => (
            <input
              {...control}
              dir="ltr"
              autoComplete="off"
              value={id}
              onChange={(e) => setId(e.target.value)}
            />
          )}
        </Field>
        <button type="submit">{t("trail.show")}</button>
      </form>
      {failure !== undefined && <ProblemNotice error={failure} />}
      {asked && <TrailOf kind={asked.kind} id={asked.id} />}
    </section>
  );
}

function linkedItem(params: URLSearchParams): { kind: Kind; id: string } | undefined {
  const kind = params.get("kind") as Kind | null;
  const id = params.get("id")?.trim().toLowerCase();
  return kind && kinds.includes(kind) && id && UUID.test(id) ? { kind, id } : undefined;
}

function TrailOf({ kind, id }: { kind: Kind; id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const partName = useKeyPartName();
  const maySeparate = useMay("weapon.separate_part");
  const mayReattach = useMay("weapon.reattach_part");
  const mayLabel = useMay("key_part.label");
  const mayCorrect = useMay("key_part.correct");
  const [working, setWorking] = useState<"separate" | "reattach" | "correct" | undefined>(undefined);
  const stateName = (state: string) =>
    (itemStates as readonly string[]).includes(state)
      ? t(`states.${state as (typeof itemStates)[number]}`)
      : state;
  const query = useQuery({
    queryKey: ["trail", kind, id],
    queryFn: () => getJson<Trail>(`/api/v1/items/${kind}/${id}/trail`),
  });
  return (
    <QueryState query={query}>
      {({ item, steps }) => (
        <>
          <dl>
            <dt>{t("trail.tag")}</dt>
            <dd>
              <Code>{item.tag ?? (item.weapon ? `${item.weapon.tag} · ${item.part}` : "")}</Code>
            </dd>
            <dt>{t("trail.state")}</dt>
            <dd>{stateName(item.state)}</dd>
            <dt>{t("trail.flagged")}</dt>
            <dd>{item.flagged ? t("common.yes") : t("common.no")}</dd>
            {/* A loose key part names its weapon; a weapon lists the parts that travel apart. */}
            {item.weapon && (
              <>
                <dt>{t("keyParts.part")}</dt>
                <dd>
                  {partName(item.part ?? "")}
                  {item.serial ? (
                    <>
                      {" · "}
                      <Code>{item.serial}</Code>
                    </>
                  ) : null}
                </dd>
                <dt>{t("trail.takenOff")}</dt>
                <dd>
                  <Link to={`/trail?kind=weapon&id=${item.weapon.id}`}>
                    <Code>{item.weapon.tag}</Code>
                  </Link>{" "}
                  <Code>{item.weapon.id}</Code> {stateName(item.weapon.state)}
                </dd>
              </>
            )}
            {item.keyParts && item.keyParts.length > 0 && (
              <>
                <dt>{t("trail.partsApart")}</dt>
                {item.keyParts.map((p) => (
                  <dd key={p.id}>
                    <Link to={`/trail?kind=key_part&id=${p.id}`}>
                      {t("keyParts.state", { part: partName(p.part), state: stateName(p.state) })}
                    </Link>{" "}
                    {p.serial && <Code>{p.serial}</Code>}
                  </dd>
                ))}
              </>
            )}
          </dl>
          {kind === "key_part" && mayLabel && (
            <p>
              <KeyPartLabelLink partId={id} />
            </p>
          )}
          {working === "separate" && <SeparatePartForm weaponId={id} onClose={() => setWorking(undefined)} />}
          {working === "reattach" && <ReattachPartForm partId={id} onClose={() => setWorking(undefined)} />}
          {working === "correct" && steps[0] && (
            <CorrectPartForm
              partId={id}
              corrects={steps[0].leafIndex}
              part={item.part ?? ""}
              serial={item.serial ?? null}
              onClose={() => setWorking(undefined)}
            />
          )}
          {/* A part's name or serial recorded wrongly is corrected whatever became of it since. */}
          {!working && kind === "key_part" && mayCorrect && steps[0] && (
            <div className="actions">
              <button type="button" className="secondary" onClick={() => setWorking("correct")}>
                {t("keyParts.correct.open")}
              </button>
            </div>
          )}
          {!working && item.state === "in_custody" && (
            <div className="actions">
              {kind === "weapon" && maySeparate && (
                <button type="button" className="secondary" onClick={() => setWorking("separate")}>
                  {t("keyParts.separate.open")}
                </button>
              )}
              {kind === "key_part" && mayReattach && (
                <button type="button" className="secondary" onClick={() => setWorking("reattach")}>
                  {t("keyParts.reattach.open")}
                </button>
              )}
            </div>
          )}
          <DataTable
            caption={t("trail.title")}
            rows={steps}
            rowKey={(s) => String(s.leafIndex)}
            columns={[
              { id: "leaf", header: t("trail.leaf"), cell: (s) => format.number(s.leafIndex), numeric: true },
              { id: "type", header: t("trail.step"), cell: (s) => <Code>{s.type}</Code> },
              { id: "at", header: t("trail.recordedAt"), cell: (s) => format.dateTime(s.recordedAt) },
              {
                id: "hash",
                header: t("trail.leafHash"),
                cell: (s) => <Code>{s.leafHash.slice(0, 16)}…</Code>,
              },
            ]}
          />
        </>
      )}
    </QueryState>
  );
}
