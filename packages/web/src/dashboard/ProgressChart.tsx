import { useId } from "react";
import { useTranslation } from "react-i18next";
import { type Format, useFormat } from "../format/format.ts";
import { directionOf } from "../i18n/direction.ts";
import { useSettings } from "../settings/settings.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { axisTop, type DayCount, type Period, periodUnitFor, progressSeries } from "./progress.ts";

// Drawn by the app as SVG (no chart library: two simple charts do not need one). Time runs in the
// reading direction: left to right in English, right to left in Arabic, with the figures' axis
// on the side where reading starts. Every figure drawn is also in the table below the charts.

const WIDTH = 400;
const HEIGHT = 180;
const MARGIN = { start: 44, end: 12, top: 12, bottom: 28 };

export function ProgressChart({ byDay }: { byDay: readonly DayCount[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const unit = periodUnitFor(byDay);
  const periods = progressSeries(byDay, unit);
  const periodLabel = unit === "week" ? t("dashboard.weekOf") : t("dashboard.day");
  return (
    <>
      <h2>{t("dashboard.progressHeading")}</h2>
      {periods.length === 0 ? (
        <p>{t("dashboard.noProgress")}</p>
      ) : (
        <div className="charts">
          <TimeChart
            kind="bars"
            title={unit === "week" ? t("dashboard.perWeek") : t("dashboard.perDay")}
            periods={periods}
            value={(p) => p.weapons}
            format={format}
          />
          <TimeChart
            kind="line"
            title={t("dashboard.cumulative")}
            periods={periods}
            value={(p) => p.cumulativeWeapons}
            format={format}
          />
        </div>
      )}
      <DataTable<Period>
        caption={t("dashboard.progressTable")}
        rows={periods}
        rowKey={(p) => p.start}
        columns={[
          { id: "start", header: periodLabel, cell: (p) => format.day(p.start) },
          {
            id: "handovers",
            header: t("dashboard.handovers"),
            cell: (p) => format.number(p.handovers),
            numeric: true,
          },
          {
            id: "weapons",
            header: t("dashboard.weapons"),
            cell: (p) => format.number(p.weapons),
            numeric: true,
          },
          { id: "lots", header: t("dashboard.lots"), cell: (p) => format.number(p.lots), numeric: true },
          {
            id: "cumulative",
            header: t("dashboard.cumulativeColumn"),
            cell: (p) => format.number(p.cumulativeWeapons),
            numeric: true,
          },
        ]}
      />
    </>
  );
}

function TimeChart({
  kind,
  title,
  periods,
  value,
  format,
}: {
  kind: "bars" | "line";
  title: string;
  periods: readonly Period[];
  value: (p: Period) => number;
  format: Format;
}) {
  const { t } = useTranslation();
  const { language } = useSettings();
  const id = useId();
  const rtl = directionOf(language) === "rtl";
  const values = periods.map(value);
  const top = axisTop(Math.max(...values));
  const plotWidth = WIDTH - MARGIN.start - MARGIN.end;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const band = plotWidth / periods.length;
  // A position along the time axis, measured from where reading starts.
  const along = (fromStart: number) => (rtl ? WIDTH - fromStart : fromStart);
  const y = (v: number) => MARGIN.top + plotHeight * (1 - v / top);
  const centre = (i: number) => along(MARGIN.start + (i + 0.5) * band);
  const first = periods[0]!;
  const last = periods[periods.length - 1]!;
  const summary = t("dashboard.chartSummary", {
    total: format.number(last.cumulativeWeapons),
    from: format.day(first.start),
    to: format.day(last.start),
    max: format.number(Math.max(...periods.map((p) => p.weapons))),
  });
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {[0, top / 2, top].filter(Number.isInteger).map((tick) => (
          <g key={tick} className="chart-tick">
            <line x1={along(MARGIN.start)} x2={along(WIDTH - MARGIN.end)} y1={y(tick)} y2={y(tick)} />
            <text x={along(MARGIN.start - 8)} y={y(tick)} dominantBaseline="middle" textAnchor="end">
              {format.number(tick)}
            </text>
          </g>
        ))}
        {kind === "bars" ? (
          periods.map((p, i) => {
            const width = Math.max(1, band * 0.7);
            return (
              <rect
                key={p.start}
                className="chart-bar"
                x={centre(i) - width / 2}
                y={y(value(p))}
                width={width}
                height={Math.max(0, plotHeight + MARGIN.top - y(value(p)))}
              />
            );
          })
        ) : (
          <polyline
            className="chart-line"
            points={periods.map((p, i) => `${centre(i)},${y(value(p))}`).join(" ")}
          />
        )}
        <text className="chart-axis" x={along(MARGIN.start)} y={HEIGHT - 8} textAnchor="start">
          {format.day(first.start)}
        </text>
        {periods.length > 1 && (
          <text className="chart-axis" x={along(WIDTH - MARGIN.end)} y={HEIGHT - 8} textAnchor="end">
            {format.day(last.start)}
          </text>
        )}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
