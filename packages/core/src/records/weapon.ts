import { z } from "zod";
import { keyPartNames } from "./custody.ts";
import { code, fileRef, freeText, hasControlCharacters, isWellFormedText } from "./text.ts";

export const weaponCategories = [
  "pistol",
  "rifle",
  "shotgun",
  "submachine_gun",
  "machine_gun",
  "grenade_launcher",
  "mortar",
  "rocket_launcher",
  "recoilless_rifle",
  "anti_tank_guided_weapon",
  "manpads",
  "drone",
  "heavy_weapon",
  "other",
] as const;
export const weaponCategory = z.enum(weaponCategories);
export type WeaponCategory = z.infer<typeof weaponCategory>;

export const weaponConditions = ["new", "good", "worn", "damaged", "inoperable"] as const;

/** Where an item came from (ISACS 05.30). */
export const itemSource = z.enum(["handover", "cache", "seizure", "spontaneous"]);

export const serialText = z
  .string()
  .transform((s) => s.normalize("NFKC").trim())
  .pipe(
    z
      .string()
      .min(1)
      .max(64, "a serial is at most 64 characters")
      .refine(
        (s) => isWellFormedText(s) && !hasControlCharacters(s),
        "must not contain control characters or broken characters (unpaired surrogates)",
      ),
  );

/** The fields of a weapon item, without the rules that tie them together (corrections reuse them). */
export const weaponItemFields = z.strictObject({
  /** A pre-printed tag scanned at the table; when absent the system assigns one. */
  tag: code.optional(),
  category: weaponCategory,
  type: freeText(100),
  make: freeText(100).optional(),
  model: freeText(100).optional(),
  calibre: freeText(50).optional(),
  serial: serialText.optional(),
  /** Set instead of a serial when none can be read; a photo of the marking area is then required. */
  noReadableSerial: z.boolean().default(false),
  componentSerials: z
    .array(
      z.strictObject({
        component: z.enum(["frame", "receiver", "slide", "bolt", "barrel", "other"]),
        serial: serialText,
      }),
    )
    .max(10)
    .default([]),
  countryOfManufacture: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as RU or CN")
    .optional(),
  yearOfManufacture: z.int().min(1850).max(2100).optional(),
  markings: z
    .array(z.strictObject({ text: freeText(200), location: freeText(100) }))
    .max(20)
    .default([]),
  alteredMarks: z.boolean().default(false),
  condition: z.enum(weaponConditions),
  serviceable: z.boolean(),
  photos: z.array(fileRef).max(20).default([]),
  source: itemSource.default("handover"),
  listCheck: z.enum(["not_checked", "clear", "state_issued", "reported_stolen"]).default("not_checked"),
  /**
   * Key parts handed in apart from the weapon (a bolt in another bag, a slide off its pistol):
   * each becomes a loose key part at once, held where the weapon is (issue 4).
   */
  keyPartsApart: z
    .array(
      z.strictObject({
        part: z.enum(keyPartNames),
        /** The part's own serial, when it is marked. */
        serial: serialText.optional(),
        /** The part's id, made by the client (or by the server when absent). */
        partId: z.uuid().optional(),
      }),
    )
    .min(1)
    .max(8)
    .optional(),
  /** Key parts the weapon came without (not handed in at all): the weapon is flagged by an anomaly. */
  keyPartsMissing: z.array(z.enum(keyPartNames)).min(1).max(8).optional(),
});

export const weaponItem = weaponItemFields.superRefine((w, ctx) => {
  // A named part is either on the weapon, apart, or missing: never two of these at once.
  const named = [...(w.keyPartsApart ?? []).map((p) => p.part), ...(w.keyPartsMissing ?? [])].filter(
    (p) => p !== "other",
  );
  if (new Set(named).size !== named.length)
    ctx.addIssue({
      code: "custom",
      path: ["keyPartsApart"],
      message: "a key part is listed twice (apart, missing, or both)",
    });
  if (w.serial && w.noReadableSerial)
    ctx.addIssue({
      code: "custom",
      path: ["serial"],
      message: "give a serial or mark it unreadable, not both",
    });
  if (!w.serial && !w.noReadableSerial)
    ctx.addIssue({
      code: "custom",
      path: ["serial"],
      message: "give the serial number, or set noReadableSerial with a photo of the marking area",
    });
  if (w.noReadableSerial && w.photos.length === 0)
    ctx.addIssue({
      code: "custom",
      path: ["photos"],
      message: "an item with no readable serial needs at least one photo of where the serial should be",
    });
});

export type WeaponItemInput = z.infer<typeof weaponItem>;
