import {
  armedGroup,
  type GroupStatus,
  groupDeclaration,
  groupStatuses,
  groupTransformation,
  groupTransitions,
  iraqGovernorates,
  roleMay,
  weaponCategories,
} from "@armsledger/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { FormActions, lines, optional, TextField, useCommandForm } from "../custody/form.tsx";
import { useFormat } from "../format/format.ts";
import { integer } from "../format/parse.ts";
import { useAccount } from "../session/session.ts";
import { useSettings } from "../settings/settings.tsx";
import { Checks } from "../ui/Checks.tsx";
import { Choice } from "../ui/Choice.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code, Entered } from "../ui/Text.tsx";

/** A group as GET /api/v1/groups and /groups/:id give it (declarations only on the one group). */
interface Group {
  id: string;
  code: string;
  nameAr: string;
  nameEn: string;
  umbrellaId: string | null;
  units: string[];
  status: string;
  statusDecidedOn: string | null;
  declarations?: Declaration[];
}

interface Declaration {
  version: number;
  asOf: string;
  men: number;
  women: number;
  boys: number;
  girls: number;
  arsenal: { category: string; count: number }[];
  declaredCaches: number;
}

interface Decision {
  status: string;
  reference: string;
  decidedBy: string;
  decidedOn: string;
  reason?: string | null;
}

const known = (s: string): s is GroupStatus => (groupStatuses as readonly string[]).includes(s);

/**
 * The armed groups (umbrella and units as the API gives them), each group's declarations version by
 * version and its status over time; the change of status for the roles core's policy allows.
 */
export function GroupsPage() {
  const { t } = useTranslation();
  const { language } = useSettings();
  const [openId, setOpenId] = useState<string | undefined>();
  const [registering, setRegistering] = useState(false);
  const role = useAccount().data?.role;
  const groups = useQuery({
    queryKey: ["groups"],
    queryFn: () => getJson<{ items: Group[] }>("/api/v1/groups"),
  });
  const status = (s: string) => (known(s) ? t(`groups.statuses.${s}`) : s);
  return (
    <section aria-labelledby="groups-title">
      <h1 id="groups-title">{t("groups.title")}</h1>
      <QueryState query={groups}>
        {({ items }) => {
          const name = (id: string | null) => {
            const g = items.find((x) => x.id === id);
            return g ? <Entered>{language === "ar" ? g.nameAr : g.nameEn}</Entered> : "—";
          };
          return (
            <DataTable<Group>
              caption={t("groups.title")}
              rows={items}
              rowKey={(g) => g.id}
              columns={[
                { id: "code", header: t("groups.code"), cell: (g) => <Code>{g.code}</Code> },
                { id: "name", header: t("groups.name"), cell: (g) => name(g.id) },
                { id: "umbrella", header: t("groups.umbrella"), cell: (g) => name(g.umbrellaId) },
                {
                  id: "units",
                  header: t("groups.units"),
                  cell: (g) => g.units.map((u) => <div key={u}>{<Entered>{u}</Entered>}</div>),
                },
                { id: "status", header: t("groups.status"), cell: (g) => status(g.status) },
                {
                  id: "open",
                  header: t("groups.actions"),
                  cell: (g) => (
                    <button type="button" className="secondary" onClick={() => setOpenId(g.id)}>
                      {t("groups.open", { code: g.code })}
                    </button>
                  ),
                },
              ]}
            />
          );
        }}
      </QueryState>
      {role !== undefined &&
        roleMay(role, "group.register") &&
        (registering ? (
          <RegisterForm groups={groups.data?.items ?? []} onClose={() => setRegistering(false)} />
        ) : (
          <div className="actions">
            <button type="button" onClick={() => setRegistering(true)}>
              {t("groups.register")}
            </button>
          </div>
        ))}
      {openId && <GroupDetail key={openId} id={openId} onClose={() => setOpenId(undefined)} />}
    </section>
  );
}

function GroupDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { language } = useSettings();
  const role = useAccount().data?.role;
  const [changing, setChanging] = useState<"transform" | "declare" | undefined>();
  const may = (action: "group.transform" | "group.declare") => role !== undefined && roleMay(role, action);
  const group = useQuery({ queryKey: ["groups", id], queryFn: () => getJson<Group>(`/api/v1/groups/${id}`) });
  const history = useQuery({
    queryKey: ["groups", id, "status-history"],
    queryFn: () => getJson<{ status: string; history: Decision[] }>(`/api/v1/groups/${id}/status-history`),
  });
  const status = (s: string) => (known(s) ? t(`groups.statuses.${s}`) : s);
  return (
    <QueryState query={group}>
      {(g) => (
        <section aria-labelledby="group-title" className="work-form">
          <h2 id="group-title">
            <Entered>{language === "ar" ? g.nameAr : g.nameEn}</Entered> · {status(g.status)}
          </h2>
          <DataTable<Declaration>
            caption={t("groups.declarations")}
            rows={[...(g.declarations ?? [])].sort((a, b) => b.version - a.version)}
            rowKey={(d) => String(d.version)}
            columns={[
              {
                id: "version",
                header: t("groups.version"),
                cell: (d) => format.number(d.version),
                numeric: true,
              },
              { id: "asOf", header: t("groups.asOf"), cell: (d) => format.day(d.asOf) },
              {
                id: "strength",
                header: t("groups.strength"),
                cell: (d) =>
                  t("groups.strengthValue", {
                    men: format.number(d.men),
                    women: format.number(d.women),
                    boys: format.number(d.boys),
                    girls: format.number(d.girls),
                  }),
              },
              {
                id: "arsenal",
                header: t("groups.arsenal"),
                cell: (d) =>
                  d.arsenal.map((a) => (
                    <div key={a.category}>
                      {t(`categories.${a.category}` as "categories.rifle", { defaultValue: a.category })}:{" "}
                      {format.number(a.count)}
                    </div>
                  )),
              },
              {
                id: "caches",
                header: t("groups.declaredCaches"),
                cell: (d) => format.number(d.declaredCaches),
                numeric: true,
              },
            ]}
          />
          <QueryState query={history}>
            {(h) => (
              <DataTable<Decision>
                caption={t("groups.statusHistory")}
                rows={h.history}
                rowKey={(d) => `${d.decidedOn}:${d.reference}`}
                columns={[
                  { id: "status", header: t("groups.status"), cell: (d) => status(d.status) },
                  { id: "on", header: t("groups.decidedOn"), cell: (d) => format.day(d.decidedOn) },
                  { id: "ref", header: t("groups.reference"), cell: (d) => <Code>{d.reference}</Code> },
                  { id: "by", header: t("groups.decidedBy"), cell: (d) => <Entered>{d.decidedBy}</Entered> },
                  {
                    id: "reason",
                    header: t("groups.reason"),
                    cell: (d) => <Entered>{d.reason ?? ""}</Entered>,
                  },
                ]}
              />
            )}
          </QueryState>
          {changing === "transform" && known(g.status) && (
            <TransformForm group={g} from={g.status} onClose={() => setChanging(undefined)} />
          )}
          {changing === "declare" && <DeclareForm group={g} onClose={() => setChanging(undefined)} />}
          {!changing && (
            <div className="actions">
              {may("group.declare") && (
                <button type="button" onClick={() => setChanging("declare")}>
                  {t("groups.declare")}
                </button>
              )}
              {may("group.transform") && known(g.status) && (
                <button type="button" onClick={() => setChanging("transform")}>
                  {t("groups.transform")}
                </button>
              )}
            </div>
          )}
          <div className="actions">
            <button type="button" className="secondary" onClick={onClose}>
              {t("custody.close")}
            </button>
          </div>
        </section>
      )}
    </QueryState>
  );
}

function useDone(onClose: () => void) {
  const queries = useQueryClient();
  return () => {
    void queries.invalidateQueries({ queryKey: ["groups"] });
    onClose();
  };
}

const strengthParts = ["men", "women", "boys", "girls"] as const;

/** A new version of the group's declaration: strength (children apart), arsenal by category, caches. */
function DeclareForm({ group, onClose }: { group: Group; onClose: () => void }) {
  const { t } = useTranslation();
  const done = useDone(onClose);
  const [asOf, setAsOf] = useState("");
  const [strength, setStrength] = useState<Record<(typeof strengthParts)[number], string>>({
    men: "",
    women: "",
    boys: "",
    girls: "",
  });
  const [arsenal, setArsenal] = useState<Record<string, string>>({});
  const [caches, setCaches] = useState("");
  const [note, setNote] = useState("");
  const form = useCommandForm("group.declare", groupDeclaration);
  const { error } = form;
  const count = (s: string) => (s.trim() === "" ? 0 : integer(s));
  function submit(event: FormEvent) {
    event.preventDefault();
    const rows = weaponCategories.filter((c) => (arsenal[c] ?? "").trim() !== "");
    form.send(
      {
        groupId: group.id,
        asOf,
        strength: Object.fromEntries(strengthParts.map((p) => [p, count(strength[p])])),
        arsenal: rows.map((category) => ({ category, count: count(arsenal[category] ?? "") })),
        declaredCaches: count(caches),
        note: optional(note),
      },
      done,
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="group-declare-title" className="work-form">
      <h3 id="group-declare-title">{t("groups.declare")}</h3>
      <TextField
        label={t("groups.asOf")}
        type="date"
        value={asOf}
        onChange={setAsOf}
        error={error("payload.asOf")}
      />
      <fieldset className="form-grid">
        <legend>{t("groups.strength")}</legend>
        {strengthParts.map((p) => (
          <TextField
            key={p}
            label={t(`groups.strengthParts.${p}`)}
            value={strength[p]}
            onChange={(v) => setStrength({ ...strength, [p]: v })}
            error={error(`payload.strength.${p}`)}
          />
        ))}
      </fieldset>
      <fieldset className="form-grid">
        <legend>{t("groups.arsenal")}</legend>
        {weaponCategories.map((c) => (
          <TextField
            key={c}
            label={t(`categories.${c}`)}
            value={arsenal[c] ?? ""}
            onChange={(v) => setArsenal({ ...arsenal, [c]: v })}
          />
        ))}
      </fieldset>
      <TextField
        label={t("groups.declaredCaches")}
        value={caches}
        onChange={setCaches}
        error={error("payload.declaredCaches")}
      />
      <TextField
        label={t("groups.note")}
        value={note}
        onChange={setNote}
        error={error("payload.note")}
        multiline
      />
      {form.refusal([/^payload\.(asOf|strength\.|declaredCaches|note)/])}
      <FormActions pending={form.command.isPending} label={t("groups.declareSubmit")} onCancel={onClose} />
    </form>
  );
}

function TransformForm({ group, from, onClose }: { group: Group; from: GroupStatus; onClose: () => void }) {
  const { t } = useTranslation();
  const done = useDone(onClose);
  const [to, setTo] = useState<GroupStatus | "">("");
  const [reference, setReference] = useState("");
  const [decidedBy, setDecidedBy] = useState("");
  const [decidedOn, setDecidedOn] = useState("");
  const [reason, setReason] = useState("");
  const form = useCommandForm("group.transform", groupTransformation);
  const { error } = form;
  function submit(event: FormEvent) {
    event.preventDefault();
    form.send(
      {
        groupId: group.id,
        status: to,
        decision: { reference: reference.trim(), decidedBy: decidedBy.trim(), decidedOn },
        reason: optional(reason),
      },
      done,
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="group-transform-title" className="work-form">
      <h3 id="group-transform-title">{t("groups.transform")}</h3>
      <Choice
        label={t("groups.newStatus")}
        value={to}
        options={groupTransitions[from]}
        optionLabel={(s) => t(`groups.statuses.${s}`)}
        onChange={setTo}
        prompt={t("lane.choosePrompt")}
        error={error("payload.status")}
      />
      <TextField
        label={t("groups.reference")}
        value={reference}
        onChange={setReference}
        error={error("payload.decision.reference")}
        code
      />
      <TextField
        label={t("groups.decidedBy")}
        value={decidedBy}
        onChange={setDecidedBy}
        error={error("payload.decision.decidedBy")}
      />
      <TextField
        label={t("groups.decidedOn")}
        type="date"
        value={decidedOn}
        onChange={setDecidedOn}
        error={error("payload.decision.decidedOn")}
      />
      <TextField
        label={t("groups.reason")}
        hint={t("groups.reasonHint")}
        value={reason}
        onChange={setReason}
        error={error("payload.reason")}
        multiline
      />
      {form.refusal([/^payload\.(status|reason|decision\.)/])}
      <FormActions pending={form.command.isPending} label={t("groups.transformSubmit")} onCancel={onClose} />
    </form>
  );
}

/**
 * A new armed group: its code, its name in Arabic and in English, the umbrella it belongs to, the
 * governorates where it operates, its units (one per line). Aliases and liaison officers are
 * recorded through the API or the command line.
 */
function RegisterForm({ groups, onClose }: { groups: readonly Group[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { language } = useSettings();
  const done = useDone(onClose);
  const [code, setCode] = useState("");
  const [nameAr, setNameAr] = useState("");
  const [nameEn, setNameEn] = useState("");
  const [umbrella, setUmbrella] = useState("");
  const [where, setWhere] = useState<string[]>([]);
  const [units, setUnits] = useState("");
  const form = useCommandForm("group.register", armedGroup);
  const { error } = form;
  function submit(event: FormEvent) {
    event.preventDefault();
    form.send(
      {
        code: code.trim(),
        name: { ar: nameAr.trim(), en: nameEn.trim() },
        umbrellaId: umbrella || undefined,
        governorates: where,
        units: lines(units),
      },
      done,
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="group-register-title" className="work-form">
      <h2 id="group-register-title">{t("groups.register")}</h2>
      <TextField
        label={t("groups.code")}
        value={code}
        onChange={setCode}
        error={error("payload.code")}
        code
      />
      <TextField
        label={t("groups.nameAr")}
        value={nameAr}
        onChange={setNameAr}
        error={error("payload.name.ar", "payload.name")}
      />
      <TextField
        label={t("groups.nameEn")}
        value={nameEn}
        onChange={setNameEn}
        error={error("payload.name.en", "payload.name")}
      />
      <Choice
        label={t("groups.umbrellaOptional")}
        value={umbrella}
        options={groups.map((g) => g.id)}
        optionLabel={(id) => {
          const g = groups.find((x) => x.id === id);
          return g ? `${g.code} · ${language === "ar" ? g.nameAr : g.nameEn}` : id;
        }}
        onChange={setUmbrella}
        prompt={t("groups.noUmbrella")}
        error={error("payload.umbrellaId")}
      />
      <Checks
        legend={t("groups.governorates")}
        options={iraqGovernorates.map((g) => g.code)}
        optionLabel={(code) => iraqGovernorates.find((g) => g.code === code)?.[language] ?? code}
        chosen={where}
        onChange={setWhere}
        error={error("payload.governorates")}
      />
      <TextField
        label={t("groups.units")}
        hint={t("groups.unitsHint")}
        value={units}
        onChange={setUnits}
        error={error("payload.units")}
        multiline
      />
      {form.refusal([/^payload\.(code|name|umbrellaId|governorates$|units$)/])}
      <FormActions pending={form.command.isPending} label={t("groups.registerSubmit")} onCancel={onClose} />
    </form>
  );
}
