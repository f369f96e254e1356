import { type ItemKind, roleMay, storeAccessPurposes, storeRemoval, storeReturn } from "@armsledger/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { useAccount } from "../session/session.ts";
import { Choice } from "../ui/Choice.tsx";
import { Code } from "../ui/Text.tsx";
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
import { itemRefs } from "./ItemPicker.tsx";
import { StatusList } from "./StatusList.tsx";
import { useSiteTimeItems } from "./site-time-items.tsx";
import { SiteName } from "./sites.tsx";

// The store access log (issue 4): every removal of items from a store and their return — who took
// them and their affiliation (personal: sent, never shown back), when, which items, why. The list
// is GET /api/v1/store-access with the removals still open (items out) first; the forms are the
// store.remove and store.return commands, offered to the roles core's policy lets record them.

/** GET /api/v1/store-access (the person who took the items is not in it). */
interface Access {
  id: string;
  siteId: string;
  purpose: string;
  removedAt: string;
  dueBack: string | null;
  status: string;
  itemCount: number;
  returnedCount: number;
  items: { kind: ItemKind; id: string; returnedAt: string | null }[];
}

const filters = ["open", "returned"] as const;
type Filter = (typeof filters)[number];
const purposeKnown = (p: string): p is (typeof storeAccessPurposes)[number] =>
  (storeAccessPurposes as readonly string[]).includes(p);
const statusKnown = (s: string): s is "out" | "partly_returned" | "returned" =>
  ["out", "partly_returned", "returned"].includes(s);
const isOpen = (a: Access) => a.status !== "returned";

export function StoresPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const role = useAccount().data?.role;
  const mayRemove = role !== undefined && roleMay(role, "store.remove");
  const mayReturn = role !== undefined && roleMay(role, "store.return");
  const [removing, setRemoving] = useState(false);
  const [returning, setReturning] = useState<Access | undefined>(undefined);
  const returnColumn = mayReturn
    ? [
        {
          id: "return",
          header: t("stores.return.column"),
          cell: (a: Access) =>
            isOpen(a) ? (
              <button type="button" className="secondary" onClick={() => setReturning(a)}>
                {t("stores.return.open", { id: a.id.slice(0, 8) })}
              </button>
            ) : (
              ""
            ),
        },
      ]
    : [];
  return (
    <StatusList<Access, Filter>
      id="store-access"
      title={t("stores.title")}
      path="/api/v1/store-access"
      statuses={filters}
      allLabel={t("stores.all")}
      statusLabel={(f) => t(`stores.filters.${f}`)}
      filter={(f) => `open=${f === "open"}`}
      // Items still out first, each group newest first as the API answers.
      order={(rows) => [...rows.filter(isOpen), ...rows.filter((a) => !isOpen(a))]}
      rowKey={(a) => a.id}
      columns={[
        { id: "ref", header: t("stores.ref"), cell: (a) => <Code>{a.id.slice(0, 8)}</Code> },
        { id: "site", header: t("stores.site"), cell: (a) => <SiteName id={a.siteId} /> },
        {
          id: "purpose",
          header: t("stores.purpose"),
          cell: (a) => (purposeKnown(a.purpose) ? t(`stores.purposes.${a.purpose}`) : a.purpose),
        },
        { id: "removed", header: t("stores.removedAt"), cell: (a) => format.dateTime(a.removedAt) },
        {
          id: "due",
          header: t("stores.dueBack"),
          cell: (a) => (a.dueBack ? format.dateTime(a.dueBack) : ""),
        },
        {
          id: "status",
          header: t("stores.status"),
          cell: (a) => (statusKnown(a.status) ? t(`stores.statuses.${a.status}`) : a.status),
        },
        {
          id: "out",
          header: t("stores.stillOut"),
          cell: (a) => <StillOut access={a} />,
        },
        ...returnColumn,
      ]}
    >
      {returning && (
        <ReturnForm key={returning.id} access={returning} onClose={() => setReturning(undefined)} />
      )}
      {mayRemove &&
        !returning &&
        (removing ? (
          <RemovalForm onClose={() => setRemoving(false)} />
        ) : (
          <OpenFormButton label={t("stores.remove.open")} onOpen={() => setRemoving(true)} />
        ))}
    </StatusList>
  );
}

/**
 * The tags of a site's items out of the store (GET /api/v1/sites/:id/items?state=out_of_store):
 * the access log names items by id, their labels by tag.
 */
function useOutTags(siteId: string) {
  const out = useQuery({
    queryKey: ["site-items", siteId, "out_of_store"],
    queryFn: () =>
      getJson<{ items: { kind: ItemKind; id: string; tag: string | null }[] }>(
        `/api/v1/sites/${siteId}/items?state=out_of_store`,
      ),
  });
  const tags = new Map((out.data?.items ?? []).map((i) => [`${i.kind}:${i.id}`, i.tag]));
  return (item: { kind: ItemKind; id: string }) => tags.get(`${item.kind}:${item.id}`) ?? item.id.slice(0, 8);
}

const outItems = (a: Access) => a.items.filter((i) => i.returnedAt === null);

/** How many of a removal's items are still out, and which, by tag. */
function StillOut({ access }: { access: Access }) {
  const { t } = useTranslation();
  const format = useFormat();
  const out = outItems(access);
  const tag = useOutTags(access.siteId);
  return (
    <>
      {t("stores.outOf", { n: format.number(out.length), of: format.number(access.itemCount) })}
      {out.map((i) => (
        <span key={`${i.kind}:${i.id}`}>
          {" "}
          <Code>{tag(i)}</Code>
        </span>
      ))}
    </>
  );
}

/** Invalidates what a removal or a return changes: the log, and the site's shelves. */
function useRecorded() {
  const queries = useQueryClient();
  return () => {
    void queries.invalidateQueries({ queryKey: ["store-access"] });
    void queries.invalidateQueries({ queryKey: ["site-items"] });
  };
}

/** What a form says once its command is recorded, with the button that puts it away. */
function Recorded({ children, onClose }: { children: ReactNode; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-ok" role="status">
      <p>{children}</p>
      <button type="button" className="secondary" onClick={onClose}>
        {t("custody.close")}
      </button>
    </div>
  );
}

/**
 * The stock check under way at a site, if any: nothing may leave the store until its result is
 * recorded (core's stock-check rule refuses the removal), so the form says so before the officer
 * fills it in. Undefined when none is open, no site is chosen yet, or the reader may not read checks.
 */
function useStockCheckUnderWay(siteId: string): { startedAt: string } | undefined {
  const role = useAccount().data?.role;
  const mayRead = role !== undefined && roleMay(role, "stock_check.read");
  const open = useQuery({
    queryKey: ["stock-checks", "open", siteId],
    queryFn: () =>
      getJson<{ items: { startedAt: string }[] }>(`/api/v1/stock-checks?status=open&siteId=${siteId}`),
    enabled: mayRead && siteId !== "",
  });
  return open.data?.items[0];
}

function RemovalForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const recorded = useRecorded();
  const base = useSiteTimeItems({
    site: t("stores.site"),
    at: t("stores.removedAt"),
    items: t("stores.items"),
  });
  const [takenBy, setTakenBy] = useState(noSignatory);
  const [purpose, setPurpose] = useState<(typeof storeAccessPurposes)[number] | "">("");
  const [dueBack, setDueBack] = useState("");
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string | undefined>(undefined);
  const form = useCommandForm<{ accessId: string }>("store.remove", storeRemoval);
  const { error } = form;
  const checking = useStockCheckUnderWay(base.siteId);
  function submit(event: FormEvent) {
    event.preventDefault();
    form.send(
      {
        siteId: base.siteId,
        removedAt: base.at,
        items: itemRefs(base.items),
        takenBy,
        purpose,
        note: optional(note),
        dueBack: optional(dueBack) && isoDateTime(dueBack),
      },
      (answer) => {
        setDone(answer.data.accessId);
        recorded();
      },
    );
  }
  if (done)
    return (
      <Recorded onClose={onClose}>
        {t("stores.remove.done")} <Code>{done.slice(0, 8)}</Code>
      </Recorded>
    );
  return (
    <form onSubmit={submit} noValidate aria-labelledby="store-remove-title" className="work-form">
      <h2 id="store-remove-title">{t("stores.remove.title")}</h2>
      {base.fields(error, "payload.removedAt")}
      {checking && (
        <p className="notice notice-warning" role="status">
          {t("stores.remove.stockCheckUnderWay", { at: format.dateTime(checking.startedAt) })}
        </p>
      )}
      <SignatoryFields
        legend={t("stores.takenBy")}
        at="payload.takenBy"
        value={takenBy}
        onChange={setTakenBy}
        error={error}
      />
      <div className="form-grid">
        <Choice
          label={t("stores.purpose")}
          value={purpose}
          options={storeAccessPurposes}
          optionLabel={(p) => t(`stores.purposes.${p}`)}
          onChange={setPurpose}
          prompt={t("lane.choosePrompt")}
          error={error("payload.purpose")}
        />
        <TextField
          label={t("stores.dueBackField")}
          type="datetime-local"
          value={dueBack}
          onChange={setDueBack}
          error={error("payload.dueBack")}
        />
      </div>
      <TextField
        label={t("stores.note")}
        value={note}
        onChange={setNote}
        error={error("payload.note")}
        multiline
      />
      {form.refusal([
        /^payload\.(siteId|removedAt|purpose|dueBack|note|items)(\.\d+)?$/u,
        /^payload\.takenBy(\.name|\.affiliation)?$/u,
      ])}
      <FormActions pending={form.command.isPending} label={t("stores.remove.submit")} onCancel={onClose} />
    </form>
  );
}

/** Some or all of a removal's items brought back; those left unticked stay out, and listed. */
function ReturnForm({ access, onClose }: { access: Access; onClose: () => void }) {
  const { t } = useTranslation();
  const recorded = useRecorded();
  const tag = useOutTags(access.siteId);
  const out = outItems(access);
  const [back, setBack] = useState(() => new Set(out.map((i) => i.id)));
  const [at, setAt] = useState(() => localDateTime());
  const [returnedBy, setReturnedBy] = useState(noSignatory);
  const [done, setDone] = useState(false);
  const form = useCommandForm<unknown>("store.return", storeReturn);
  const { error } = form;
  // The API names an item by its place in the list sent: the ticked ones, in this order.
  const sent = out.filter((i) => back.has(i.id));
  const itemError = (i: (typeof out)[number]) => error(`payload.items.${sent.indexOf(i)}`);
  function submit(event: FormEvent) {
    event.preventDefault();
    form.send(
      {
        accessId: access.id,
        returnedAt: isoDateTime(at),
        items: sent.map(({ kind, id }) => ({ kind, id })),
        returnedBy,
      },
      () => {
        setDone(true);
        recorded();
      },
    );
  }
  if (done) return <Recorded onClose={onClose}>{t("stores.return.done")}</Recorded>;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="store-return-title" className="work-form">
      <h2 id="store-return-title">{t("stores.return.title", { id: access.id.slice(0, 8) })}</h2>
      <fieldset>
        <legend>{t("stores.return.items")}</legend>
        <ul className="checks">
          {out.map((i) => (
            <li key={`${i.kind}:${i.id}`}>
              <label>
                <input
                  type="checkbox"
                  checked={back.has(i.id)}
                  onChange={(e) => {
                    const next = new Set(back);
                    if (e.target.checked) next.add(i.id);
                    else next.delete(i.id);
                    setBack(next);
                  }}
                />{" "}
                {t(`trail.${i.kind}`)} <Code>{tag(i)}</Code>
              </label>
              {back.has(i.id) && itemError(i) && <span className="error"> {itemError(i)}</span>}
            </li>
          ))}
        </ul>
        {error("payload.items") && <p className="error">{error("payload.items")}</p>}
      </fieldset>
      <TextField
        label={t("stores.return.at")}
        type="datetime-local"
        value={at}
        onChange={setAt}
        error={error("payload.returnedAt")}
      />
      <SignatoryFields
        legend={t("stores.return.by")}
        at="payload.returnedBy"
        value={returnedBy}
        onChange={setReturnedBy}
        error={error}
      />
      {form.refusal([
        /^payload\.returnedAt$/u,
        /^payload\.items(\.\d+)?$/u,
        /^payload\.returnedBy(\.name|\.affiliation)?$/u,
      ])}
      <FormActions pending={form.command.isPending} label={t("stores.return.submit")} onCancel={onClose} />
    </form>
  );
}
