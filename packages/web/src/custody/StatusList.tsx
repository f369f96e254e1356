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
  filter = (s) => `status=${s}`,
  order = (rows) => rows,
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
  /** How the API is asked for one status ("status=received" unless the list is asked otherwise). */
  filter?: (status: S) => string;
  /** The rows in the order shown (the API's, unless the screen puts some first). */
  order?: (rows: readonly T[]) => readonly T[];
}) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<S | "">("");
  const query = useQuery({
    queryKey: [id, status],
    queryFn: () => getJson<{ items: T[] }>(status ? `${path}?${filter(status)}` : path),
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
        {(data) => <DataTable caption={title} columns={columns} rows={order(data.items)} rowKey={rowKey} />}
      </QueryState>
    </section>
  );
}
