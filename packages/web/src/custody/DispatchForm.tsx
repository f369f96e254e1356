import { dispatch } from "@armsledger/core";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../format/format.ts";
import { integer } from "../format/parse.ts";
import { useAccount } from "../session/session.ts";
import { Code } from "../ui/Text.tsx";
import {
  codeList,
  FormActions,
  isoDateTime,
  localDateTime,
  noSignatory,
  optional,
  SignatoryFields,
  TextField,
  useCommandForm,
} from "./form.tsx";
import { ItemPicker, itemRefs, type PickedItem } from "./ItemPicker.tsx";
import { SiteChoice } from "./sites.tsx";

/** What custody.dispatched answers that the form shows. */
interface Dispatched {
  transferId: string;
  items: unknown[];
  seals: string[];
}

/** The paths the fields below show an error at (the others are listed under the form). */
const placed = [
  /^payload\.(fromSiteId|toSiteId|dispatchedAt|countAtDispatch|seals|vehicle)$/u,
  /^payload\.items(\.\d+)?$/u,
  /^payload\.(countersignedBy|escort\.0)(\.name|\.affiliation)?$/u,
];

/**
 * custody.dispatch: a load leaves the site that holds it, sealed and counted, with the second
 * party's countersignature. The count is the officer's own, item by item: it must equal the
 * manifest (the server refuses otherwise), so it is typed, never filled in from the list.
 */
export function DispatchForm() {
  const { t } = useTranslation();
  const format = useFormat();
  const queries = useQueryClient();
  const scope = useAccount().data?.scope.sites;
  const [fromSiteId, setFrom] = useState(() => (Array.isArray(scope) && scope.length === 1 ? scope[0]! : ""));
  const [toSiteId, setTo] = useState("");
  const [at, setAt] = useState(() => localDateTime());
  const [items, setItems] = useState<PickedItem[]>([]);
  const [count, setCount] = useState("");
  const [seals, setSeals] = useState("");
  const [vehicle, setVehicle] = useState("");
  const [escort, setEscort] = useState(noSignatory);
  const [countersigned, setCountersigned] = useState(noSignatory);
  const [done, setDone] = useState<Dispatched | undefined>(undefined);
  const form = useCommandForm<Dispatched>("custody.dispatch", dispatch);
  const { error } = form;

  function submit(event: FormEvent) {
    event.preventDefault();
    const payload = {
      fromSiteId,
      toSiteId,
      dispatchedAt: isoDateTime(at),
      items: itemRefs(items),
      countAtDispatch: integer(count),
      seals: codeList(seals),
      vehicle: optional(vehicle),
      escort: escort.name || escort.affiliation ? [escort] : [],
      countersignedBy: countersigned,
    };
    form.send(payload, (answer) => {
      setDone(answer.data);
      void queries.invalidateQueries({ queryKey: ["transfers"] });
      void queries.invalidateQueries({ queryKey: ["site-items"] });
    });
  }

  if (done)
    return (
      <div className="notice notice-ok" role="status">
        <p>
          {t("custody.dispatch.done", { n: format.number(done.items.length) })} <Code>{done.transferId}</Code>
        </p>
        <button
          type="button"
          onClick={() => {
            setDone(undefined);
            setItems([]);
            setCount("");
            setSeals("");
            setAt(localDateTime());
            form.reset();
          }}
        >
          {t("custody.dispatch.another")}
        </button>
      </div>
    );

  return (
    <form onSubmit={submit} noValidate aria-labelledby="dispatch-title" className="work-form">
      <h2 id="dispatch-title">{t("custody.dispatch.title")}</h2>
      <div className="form-grid">
        <SiteChoice
          label={t("custody.dispatch.from")}
          value={fromSiteId}
          onChange={setFrom}
          error={error("payload.fromSiteId")}
        />
        <SiteChoice
          label={t("custody.dispatch.to")}
          value={toSiteId}
          onChange={setTo}
          error={error("payload.toSiteId")}
        />
        <TextField
          label={t("custody.dispatch.at")}
          type="datetime-local"
          value={at}
          onChange={setAt}
          error={error("payload.dispatchedAt")}
        />
      </div>
      <ItemPicker
        legend={t("custody.dispatch.items")}
        at="payload.items"
        items={items}
        onChange={setItems}
        error={error}
        siteId={fromSiteId || undefined}
      />
      <div className="form-grid">
        <TextField
          label={t("custody.dispatch.count")}
          hint={t("custody.dispatch.countHint")}
          value={count}
          onChange={setCount}
          error={error("payload.countAtDispatch")}
          code
        />
        <TextField
          label={t("custody.dispatch.seals")}
          hint={t("custody.sealsHint")}
          value={seals}
          onChange={setSeals}
          error={error("payload.seals")}
          code
          multiline
        />
        <TextField
          label={t("custody.dispatch.vehicle")}
          value={vehicle}
          onChange={setVehicle}
          error={error("payload.vehicle")}
        />
      </div>
      <SignatoryFields
        legend={t("custody.dispatch.escort")}
        at="payload.escort.0"
        value={escort}
        onChange={setEscort}
        error={error}
      />
      <SignatoryFields
        legend={t("custody.countersignedBy")}
        at="payload.countersignedBy"
        value={countersigned}
        onChange={setCountersigned}
        error={error}
      />
      {form.refusal(placed)}
      <FormActions pending={form.command.isPending} label={t("custody.dispatch.submit")} />
    </form>
  );
}
