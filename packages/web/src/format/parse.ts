/** A whole number typed in Western or Arabic-Indic digits, as the integer the API takes (else as typed, for the schema to refuse). */
export function integer(s: string): number | string | undefined {
  const western = s.trim().replace(/[٠-٩]/gu, (d) => String(d.charCodeAt(0) - 0x660));
  return western === "" ? undefined : /^\d+$/u.test(western) ? Number(western) : western;
}
