import type { ItemKind } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useFormat } from "../format/format.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { QueryState } from "../ui/Query.tsx";
import { Code } from "../ui/Text.tsx";
import type { PickedItem } from "./ItemPicker.tsx";
import { useItemTypeLabel } from "./labels.ts";

/** One item of the manifest, as GET /api/v1/transfers/:id/items gives it. */
interface ManifestItem {
  kind: ItemKind;
  id: string;
  tag: string | null;
  category: string;
  serial: string | null;
}

const keyOf = (i: { kind: string; id: string }) => `${i.kind}:${i.id}`;

/**
 * The manifest the receiving keeper counts against: each item sent, ticked when it has arrived
 * (scanned in the picker above, or ticked here), how many are counted of how many sent, and what
 * was scanned that the manifest does not list. The ticks are the receipt's items: nothing here
 * decides anything, the server compares the receipt with the dispatch.
 */
export function ManifestCheck({
  transferId,
  items,
  onChange,
}: {
  transferId: string;
  items: readonly PickedItem[];
  onChange: (items: PickedItem[]) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const typeLabel = useItemTypeLabel();
  const manifest = useQuery({
    queryKey: ["transfers", transferId, "items"],
    queryFn: () => getJson<{ items: ManifestItem[] }>(`/api/v1/transfers/${transferId}/items`),
  });
  const arrived = new Set(items.map(keyOf));
  const label = (m: ManifestItem) => m.tag ?? m.id.slice(0, 8);
  const toggle = (m: ManifestItem, on: boolean) =>
    onChange(
      on
        ? [...items, { kind: m.kind, id: m.id, label: label(m) }]
        : items.filter((i) => keyOf(i) !== keyOf(m)),
    );
  return (
    <QueryState query={manifest}>
      {({ items: sent }) => {
        const listed = new Set(sent.map(keyOf));
        const counted = sent.filter((m) => arrived.has(keyOf(m))).length;
        const extra = items.filter((i) => !listed.has(keyOf(i)));
        return (
          <div className="manifest">
            <DataTable<ManifestItem>
              caption={t("custody.receive.manifest.title")}
              rows={sent}
              rowKey={keyOf}
              columns={[
                {
                  id: "arrived",
                  header: t("custody.receive.manifest.arrived"),
                  cell: (m) => (
                    <input
                      type="checkbox"
                      aria-label={t("custody.receive.manifest.arrivedOne", { item: label(m) })}
                      checked={arrived.has(keyOf(m))}
                      onChange={(e) => toggle(m, e.target.checked)}
                    />
                  ),
                },
                {
                  id: "tag",
                  header: t("custody.receive.manifest.tag"),
                  cell: (m) => <Code>{label(m)}</Code>,
                },
                {
                  id: "what",
                  header: t("custody.receive.manifest.what"),
                  cell: (m) => typeLabel(m.kind, m.category),
                },
                {
                  id: "serial",
                  header: t("custody.receive.manifest.serial"),
                  cell: (m) => (m.serial ? <Code>{m.serial}</Code> : "—"),
                },
              ]}
            />
            <p aria-live="polite">
              {t("custody.receive.manifest.counted", {
                n: format.number(counted),
                of: format.number(sent.length),
              })}
              {extra.length > 0 &&
                ` ${t("custody.receive.manifest.notListed", { n: format.number(extra.length) })}`}
            </p>
            {extra.length > 0 && (
              <ul>
                {extra.map((i) => (
                  <li key={keyOf(i)}>
                    {t(`trail.${i.kind}`)} <Code>{i.label}</Code>
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      }}
    </QueryState>
  );
}
