import type { KeyboardEvent, ReactNode } from "react";
import { Field } from "./Field.tsx";

/**
 * An item's tag, scanned or typed: left to right, upper case (tags are printed so), no
 * autocompletion. A label scanner types the tag and presses Enter; `onEnter` takes it then (a
 * custody form adds the item to its list) instead of submitting the form around it.
 */
export function TagField({
  label,
  hint,
  error,
  value,
  onChange,
  onEnter,
}: {
  label: string;
  hint?: string | undefined;
  error?: ReactNode | undefined;
  value: string;
  onChange: (tag: string) => void;
  onEnter?: (() => void) | undefined;
}) {
  const enter = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!onEnter || e.key !== "Enter") return;
    e.preventDefault();
    onEnter();
  };
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <input
          {...control}
          dir="ltr"
          autoComplete="off"
          value={value}
          onChange={(e) => onChange(e.target.value.toUpperCase())}
          onKeyDown={enter}
        />
      )}
    </Field>
  );
}
