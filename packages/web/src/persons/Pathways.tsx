import { followUpStatuses, pathwayFollowUp, pathwayKinds, pathwayStates, roleMay } from "@armsledger/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { FormActions, optional, TextField, useCommandForm } from "../custody/form.tsx";
import { useFormat } from "../format/format.ts";
import { useAccount } from "../session/session.ts";
import { Choice } from "../ui/Choice.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";

/** A pathway as GET /api/v1/persons/:id/pathways gives it (the fields this screen shows). */
interface Pathway {
  id: string;
  kind: string;
  state: string;
  offeredOn: string;
  placedOn: string | null;
}

const has = <T extends string>(list: readonly T[], s: string): s is T =>
  (list as readonly string[]).includes(s);

/** The person's pathways (case worker, admin) and, on a placement, the follow-up form. */
export function Pathways({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const role = useAccount().data?.role;
  const [following, setFollowing] = useState<string | undefined>();
  const pathways = useQuery({
    queryKey: ["persons", personId, "pathways"],
    queryFn: () => getJson<{ items: Pathway[] }>(`/api/v1/persons/${personId}/pathways`),
  });
  const mayFollowUp = role !== undefined && roleMay(role, "pathway.follow_up");
  return (
    <QueryState query={pathways}>
      {({ items }) => (
        <>
          <DataTable<Pathway>
            caption={t("pathways.title")}
            rows={items}
            rowKey={(p) => p.id}
            columns={[
              {
                id: "kind",
                header: t("reintegration.kind"),
                cell: (p) => (has(pathwayKinds, p.kind) ? t(`reintegration.kinds.${p.kind}`) : p.kind),
              },
              {
                id: "state",
                header: t("pathways.state"),
                cell: (p) => (has(pathwayStates, p.state) ? t(`pathways.states.${p.state}`) : p.state),
              },
              { id: "offered", header: t("pathways.offeredOn"), cell: (p) => format.day(p.offeredOn) },
              {
                id: "placed",
                header: t("reintegration.placedOn"),
                cell: (p) => (p.placedOn ? format.day(p.placedOn) : "—"),
              },
              {
                id: "actions",
                header: t("groups.actions"),
                cell: (p) =>
                  p.state === "placed" &&
                  mayFollowUp && (
                    <button type="button" className="secondary" onClick={() => setFollowing(p.id)}>
                      {t("pathways.followUp")}
                    </button>
                  ),
              },
            ]}
          />
          {following && (
            <FollowUpForm
              key={following}
              pathwayId={following}
              personId={personId}
              onClose={() => setFollowing(undefined)}
            />
          )}
        </>
      )}
    </QueryState>
  );
}

function FollowUpForm({
  pathwayId,
  personId,
  onClose,
}: {
  pathwayId: string;
  personId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [on, setOn] = useState("");
  const [status, setStatus] = useState<(typeof followUpStatuses)[number] | "">("");
  const [note, setNote] = useState("");
  const form = useCommandForm("pathway.follow_up", pathwayFollowUp);
  const { error } = form;
  function submit(event: FormEvent) {
    event.preventDefault();
    form.send({ pathwayId, followedUpOn: on, status, note: optional(note) }, () => {
      void queries.invalidateQueries({ queryKey: ["persons", personId, "pathways"] });
      void queries.invalidateQueries({ queryKey: ["pathways"] });
      onClose();
    });
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="follow-up-title" className="work-form">
      <h3 id="follow-up-title">{t("pathways.followUp")}</h3>
      <TextField
        label={t("pathways.followedUpOn")}
        type="date"
        value={on}
        onChange={setOn}
        error={error("payload.followedUpOn")}
      />
      <Choice
        label={t("pathways.followUpStatus")}
        value={status}
        options={followUpStatuses}
        optionLabel={(s) => t(`pathways.followUpStatuses.${s}`)}
        onChange={setStatus}
        prompt={t("lane.choosePrompt")}
        error={error("payload.status")}
      />
      <TextField
        label={t("groups.note")}
        value={note}
        onChange={setNote}
        error={error("payload.note")}
        multiline
      />
      {form.refusal([/^payload\.(followedUpOn|status|note)/])}
      <FormActions pending={form.command.isPending} label={t("pathways.followUpSubmit")} onCancel={onClose} />
    </form>
  );
}
