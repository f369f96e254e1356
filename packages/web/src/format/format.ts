import { useMemo } from "react";
import { useSettings } from "../settings/settings.tsx";

export interface Format {
  number(n: number): string;
  /** A year (no thousands separator), in the chosen digits. */
  year(n: number): string;
  /** A moment (ISO-8601 UTC), in the reader's time zone. */
  dateTime(iso: string): string;
  /** A calendar day as recorded (YYYY-MM-DD), not shifted by time zone. */
  day(isoDay: string): string;
  /** A share (0.25 is 25 %), to a tenth of a percent, in the chosen digits. */
  percent(ratio: number): string;
}

/** Numbers and dates in the reader's language and chosen digits, through Intl only. */
export function formatFor(language: string, digits: string): Format {
  const options = { numberingSystem: digits, calendar: "gregory" } as const;
  const number = new Intl.NumberFormat(language, { numberingSystem: digits });
  const year = new Intl.NumberFormat(language, { numberingSystem: digits, useGrouping: false });
  const moment = new Intl.DateTimeFormat(language, { ...options, dateStyle: "medium", timeStyle: "short" });
  const day = new Intl.DateTimeFormat(language, { ...options, dateStyle: "medium", timeZone: "UTC" });
  const percent = new Intl.NumberFormat(language, {
    numberingSystem: digits,
    style: "percent",
    maximumFractionDigits: 1,
  });
  const safe = (f: Intl.DateTimeFormat, text: string) => {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? text : f.format(d);
  };
  return {
    number: (n) => number.format(n),
    year: (n) => year.format(n),
    dateTime: (iso) => safe(moment, iso),
    day: (isoDay) => safe(day, `${isoDay.slice(0, 10)}T00:00:00Z`),
    percent: (ratio) => percent.format(ratio),
  };
}

export function useFormat(): Format {
  const { language, digits } = useSettings();
  return useMemo(() => formatFor(language, digits), [language, digits]);
}
