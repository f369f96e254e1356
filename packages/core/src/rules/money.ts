/**
 * Money as integers of minor units. The number of decimals a currency uses is ISO 4217's, as the
 * runtime's Intl (CLDR) knows it (IQD 0, JOD 3, USD 2): never parsed through a float.
 */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits as number;
}

/** "12.50" USD → 1250; undefined when the text is not a plain amount with at most the currency's decimals. */
export function toMinorUnits(text: string, currency: string): number | undefined {
  const m = /^(\d{1,15})(?:\.(\d+))?$/u.exec(text.trim().replaceAll(",", ""));
  if (!m) return undefined;
  const digits = minorDigits(currency);
  const fraction = (m[2] ?? "").replace(/0+$/u, "");
  if (fraction.length > digits) return undefined;
  return Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** 1250 USD → "12.50"; 150000 IQD → "150000" (CLDR gives the dinar no decimals in use). */
export function formatMinorUnits(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const s = String(minor).padStart(digits + 1, "0");
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** The months from `first` to `last` (YYYY-MM) contain `period`. */
export function periodWithin(period: string, first: string, last: string): boolean {
  return first <= period && period <= last;
}
