import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { type Column, DataTable } from "../ui/DataTable.tsx";
import { Field } from "../ui/Field.tsx";
import { QueryState } from "../ui/Query.tsx";

/**
 * A list the API filters by status (transfers, discrepancies): a status choice, then the table.
 * The screens differ only in what they pass here.
 */
export function StatusList<T, S extends string>({
  id,
  title,
  path,
  statuses,
  allLabel,
  statusLabel,
  columns,
  rowKey,
  children,
}: {
  id: string;
  title: string;
  path: string;
  statuses: readonly S[];
  allLabel: string;
  statusLabel: (status: S) => string;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  /** What the reader may do here besides reading the list (a form), shown above it. */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<S | "">("");
  const query = useQuery({
    queryKey: [id, status],
    queryFn: () => getJson<{ items: T[] }>(status ? `${path}?status=${status}` : path),
  });
  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{title}</h1>
      {children}
      <div className="inline-form">
        <Field label={t("transfers.status")}>
          {(control) => (
            <select {...control} value={status} onChange={(e) => setStatus(e.target.value as S | "")}>
              <option value="">{allLabel}</option>
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <QueryState query={query}>
        {(data) => <DataTable caption={title} columns={columns} rows={data.items} rowKey={rowKey} />}
      </QueryState>
    </section>
  );
}
