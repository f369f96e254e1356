// A person's name as printed on a receipt or a card: the parts of the chain in order (given,
// father, grandfather, family), in the script they were entered in; nothing is transliterated.

export interface NameParts {
  given: string;
  father?: string;
  grandfather?: string;
  family?: string;
}

/** A person's name in Arabic script and/or Latin letters, as registered. */
export interface PrintedName {
  arabic?: NameParts;
  latin?: NameParts;
}

/** The parts joined with spaces; "" when the name was not given in that script. */
export function joinName(parts: NameParts | undefined): string {
  if (!parts) return "";
  return [parts.given, parts.father, parts.grandfather, parts.family]
    .filter((p): p is string => !!p && p.trim() !== "")
    .join(" ");
}
