// The demobilisation card's own wording in English and Arabic.
import type { Bilingual } from "../documents/labels.ts";

export const CARD_LABELS = {
  card: { en: "Demobilisation card", ar: "بطاقة التسريح" },
  name: { en: "Name", ar: "الاسم" },
  cardNumber: { en: "Card number", ar: "رقم البطاقة" },
  issuedOn: { en: "Date of issue", ar: "تاريخ الإصدار" },
  photo: { en: "Photo", ar: "الصورة" },
  photoReference: { en: "ref.", ar: "مرجع" },
  noPhoto: { en: "No photo on file", ar: "لا توجد صورة" },
  scan: { en: "Scan to check", ar: "امسح للتحقق" },
  found: {
    en: "Personal card. If found, hand it to a programme office.",
    ar: "بطاقة شخصية. إذا وجدتها فسلّمها إلى مكتب البرنامج.",
  },
} satisfies Record<string, Bilingual>;
