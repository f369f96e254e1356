import type { ReactNode, Ref } from "react";
import { Field } from "./Field.tsx";

/**
 * A labelled choice among known values (a <select>): the lane's categories and conditions, a
 * custody form's sites, methods and purposes. With a `prompt`, nothing is chosen until the
 * reader picks (the value is then ""), so a required choice is never made for them.
 */
export function Choice<V extends string>({
  label,
  hint,
  error,
  value,
  options,
  optionLabel,
  onChange,
  prompt,
  selectRef,
}: {
  label: string;
  hint?: string | undefined;
  error?: ReactNode | undefined;
  value: V | "";
  options: readonly V[];
  optionLabel: (option: V) => string;
  onChange: (value: V | "") => void;
  /** The empty first option ("Choose…"); without it, the first option is chosen. */
  prompt?: string | undefined;
  selectRef?: Ref<HTMLSelectElement> | undefined;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <select
          {...control}
          ref={selectRef}
          value={value}
          onChange={(e) => onChange(e.target.value as V | "")}
        >
          {prompt !== undefined && <option value="">{prompt}</option>}
          {options.map((o) => (
            <option key={o} value={o}>
              {optionLabel(o)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
