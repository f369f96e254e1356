// The columns of the files the importer reads and the exporter writes. One list, so an export can
// be imported again and a clerk's template matches both.

/** The persons file: one row per person, one `person.register` command per row. */
export const personColumns = [
  "person_id",
  "site_code",
  "kind",
  "given_ar",
  "father_ar",
  "grandfather_ar",
  "family_ar",
  "given_latin",
  "father_latin",
  "grandfather_latin",
  "family_latin",
  "mother_ar",
  "mother_latin",
  "birth_date",
  "birth_year",
  "sex",
  "governorate",
  "group_code",
  "role",
  "national_id",
  "photo",
  "listed_by_group",
  "consent_given",
  "consent_date",
] as const;

/** A group's roster: one row per listed member, all rows one `roster.submit` command. */
export const rosterColumns = [
  "member_number",
  "given_ar",
  "father_ar",
  "grandfather_ar",
  "family_ar",
  "given_latin",
  "father_latin",
  "grandfather_latin",
  "family_latin",
  "mother_ar",
  "mother_latin",
  "birth_year",
  "sex",
  "governorate",
] as const;

/** Written by the persons export after the importable columns; ignored when the file is imported. */
export const personExportOnlyColumns = ["registered_on", "age_group", "eligible"] as const;

/** Columns that describe the handover; every row of one handover must agree on them. */
export const handoverColumns = [
  "handover_ref",
  "site_code",
  "handed_at",
  "person_id",
  "group_code",
  "representative",
  "verifier_name",
  "verifier_affiliation",
  "notes",
] as const;

/** Columns used by both weapon rows and ammunition rows. */
export const sharedItemColumns = ["item", "tag", "condition", "source", "photo"] as const;

export const weaponOnlyColumns = [
  "category",
  "type",
  "make",
  "model",
  "calibre",
  "serial",
  "no_readable_serial",
  "country",
  "year",
  "serviceable",
  "altered_marks",
  "list_check",
] as const;

export const ammunitionOnlyColumns = [
  "kind",
  "calibre_or_type",
  "quantity",
  "unit",
  "lot_mark",
  "headstamp",
  "hazard_division",
  "safe_to_move",
  "destroyed_in_situ",
] as const;

/** The weapon items file: one row per weapon item or ammunition lot, grouped by handover_ref. */
export const weaponFileColumns = [
  ...handoverColumns,
  "item",
  "tag",
  "category",
  "type",
  "make",
  "model",
  "calibre",
  "serial",
  "no_readable_serial",
  "country",
  "year",
  "condition",
  "serviceable",
  "altered_marks",
  "list_check",
  "kind",
  "calibre_or_type",
  "quantity",
  "unit",
  "lot_mark",
  "headstamp",
  "hazard_division",
  "safe_to_move",
  "destroyed_in_situ",
  "source",
  "photo",
] as const;

/** Written by the weapons and ammunition exports after the importable columns; ignored on import. */
export const itemExportOnlyColumns = ["receipt_number", "handover_id", "item_id"] as const;
