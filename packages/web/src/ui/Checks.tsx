import type { ReactNode } from "react";

/**
 * Several of a known list ticked (a fieldset of checkboxes): a screening's exclusion indications,
 * the governorates a group operates in. The values are kept in the order they were ticked.
 */
export function Checks<V extends string>({
  legend,
  hint,
  error,
  options,
  optionLabel,
  chosen,
  onChange,
}: {
  legend: string;
  hint?: string | undefined;
  error?: ReactNode | undefined;
  options: readonly V[];
  optionLabel: (option: V) => ReactNode;
  chosen: readonly V[];
  onChange: (chosen: V[]) => void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {hint && <p className="hint">{hint}</p>}
      <div className="checks">
        {options.map((option) => (
          <label key={option}>
            <input
              type="checkbox"
              checked={chosen.includes(option)}
              onChange={(e) =>
                onChange(e.target.checked ? [...chosen, option] : chosen.filter((c) => c !== option))
              }
            />{" "}
            {optionLabel(option)}
          </label>
        ))}
      </div>
      {error && <p className="error">{error}</p>}
    </fieldset>
  );
}
