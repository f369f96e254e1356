import { type ItemKind, itemKinds } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { Choice } from "../ui/Choice.tsx";
import { ProblemNotice } from "../ui/Problem.tsx";
import { QueryState } from "../ui/Query.tsx";
import { TagField } from "../ui/TagField.tsx";
import { Code } from "../ui/Text.tsx";
import type { ErrorAt } from "./form.tsx";
import { useItemTypeLabel } from "./labels.ts";

/** An item chosen for a custody step: what the command names, and what the officer read off it. */
export interface PickedItem {
  kind: ItemKind;
  id: string;
  /** The tag as scanned, or the id's start when the item was given by id. */
  label: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

/**
 * The items of a manifest, a receipt or a batch, one scan at a time: any item by the tag on its
 * label (a weapon's, a lot's, a loose key part's `W…/P1`; the QR code holds the tag alone, and the
 * scanner's Enter adds it: GET /api/v1/items?tag=, scoped as trails are), or by its id.
 * The server decides whether the site holds it; this only finds what the officer means.
 */
export function ItemPicker({
  legend,
  at,
  items,
  onChange,
  error,
  siteId,
}: {
  legend: string;
  /** The site whose items on the shelves are offered as a list to tick (a dispatch, a batch). */
  siteId?: string | undefined;
  /** The API's path of the list ("payload.items"); item n's errors are at `${at}.${n}`. */
  at: string;
  items: readonly PickedItem[];
  onChange: (items: PickedItem[]) => void;
  error: ErrorAt;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [kind, setKind] = useState<ItemKind>("weapon");
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [looking, setLooking] = useState(false);

  async function add() {
    const typed = text.trim();
    setProblem(undefined);
    setFailure(undefined);
    if (typed === "") return;
    let found: PickedItem | undefined;
    if (uuid.test(typed)) {
      const id = typed.toLowerCase();
      found = { kind, id, label: id.slice(0, 8) };
    } else {
      // Whatever the kind chosen: the label says what it names (a loose part's tag is W…/P1).
      setLooking(true);
      try {
        const item = await getJson<{ kind: ItemKind; id: string; tag: string }>(
          `/api/v1/items?tag=${encodeURIComponent(typed)}`,
        );
        found = { kind: item.kind, id: item.id, label: item.tag };
      } catch (e) {
        if (e instanceof ApiError && e.status === 404)
          setProblem(t("custody.items.noSuchTag", { tag: typed }));
        else setFailure(e);
      } finally {
        setLooking(false);
      }
    }
    if (!found) return;
    if (!items.some((i) => i.kind === found.kind && i.id === found.id)) onChange([...items, found]);
    setText("");
  }

  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="inline-form">
        <Choice
          label={t("custody.items.kind")}
          value={kind}
          options={itemKinds}
          optionLabel={(k) => t(`trail.${k}`)}
          onChange={(k) => setKind(k || "weapon")}
        />
        <TagField
          label={t("custody.items.tag")}
          hint={t("custody.items.tagHint")}
          error={problem ?? error(at)}
          value={text}
          onChange={setText}
          onEnter={() => void add()}
        />
        <button type="button" className="secondary" onClick={() => void add()} disabled={looking}>
          {t("custody.items.add")}
        </button>
      </div>
      {failure !== undefined && <ProblemNotice error={failure} />}
      {siteId && <HeldList siteId={siteId} kind={kind} items={items} onChange={onChange} />}
      <p>{t("custody.items.count", { n: format.number(items.length) })}</p>
      {items.length > 0 && (
        <ol className="picked">
          {items.map((item, n) => (
            <li key={`${item.kind}:${item.id}`}>
              {t(`trail.${item.kind}`)} <Code>{item.label}</Code>{" "}
              <button
                type="button"
                className="secondary"
                onClick={() => onChange(items.filter((_, j) => j !== n))}
              >
                {t("custody.items.remove", { item: item.label })}
              </button>
              {error(`${at}.${n}`) && <span className="error"> {error(`${at}.${n}`)}</span>}
            </li>
          ))}
        </ol>
      )}
    </fieldset>
  );
}

/** The items as a command names them. */
export const itemRefs = (items: readonly PickedItem[]) => items.map(({ kind, id }) => ({ kind, id }));

interface Held {
  kind: ItemKind;
  id: string;
  tag: string | null;
  category: string;
  serial: string | null;
  flagged: boolean;
}

/** The items of one kind on the site's shelves (GET /api/v1/sites/:id/items), each to tick. */
function HeldList({
  siteId,
  kind,
  items,
  onChange,
}: {
  siteId: string;
  kind: ItemKind;
  items: readonly PickedItem[];
  onChange: (items: PickedItem[]) => void;
}) {
  const { t } = useTranslation();
  const typeLabel = useItemTypeLabel();
  const held = useQuery({
    queryKey: ["site-items", siteId, kind],
    queryFn: () => getJson<{ items: Held[] }>(`/api/v1/sites/${siteId}/items?kind=${kind}`),
  });
  const chosen = new Set(items.map((i) => `${i.kind}:${i.id}`));
  const toggle = (h: Held, on: boolean) =>
    onChange(
      on
        ? [...items, { kind: h.kind, id: h.id, label: h.tag ?? h.id.slice(0, 8) }]
        : items.filter((i) => !(i.kind === h.kind && i.id === h.id)),
    );
  return (
    <details className="held">
      <summary>{t("custody.items.fromList")}</summary>
      <QueryState query={held}>
        {(data) =>
          data.items.length === 0 ? (
            <p>{t("common.empty")}</p>
          ) : (
            <ul className="checks">
              {data.items.map((h) => (
                <li key={h.id}>
                  <label>
                    <input
                      type="checkbox"
                      checked={chosen.has(`${h.kind}:${h.id}`)}
                      onChange={(e) => toggle(h, e.target.checked)}
                    />{" "}
                    <Code>{h.tag ?? h.id.slice(0, 8)}</Code> {typeLabel(h.kind, h.category)}
                    {h.serial && (
                      <>
                        {" "}
                        <Code>{h.serial}</Code>
                      </>
                    )}
                    {h.flagged && ` (${t("trail.flagged")})`}
                  </label>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </details>
  );
}
