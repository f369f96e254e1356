import type { Stream } from "./draws.ts";

// Invented people with common Iraqi names. Each Arabic name carries the Latin spellings a
// registrar really meets for it; the first is the usual one. A duplicate registration picks
// another spelling (or drops part of the chain), which is what duplicate detection must catch.

export interface NameForms {
  ar: string;
  latin: readonly string[];
}

const n = (ar: string, ...latin: string[]): NameForms => ({ ar, latin });

export const maleNames: readonly NameForms[] = [
  n("محمد", "Mohammed", "Muhammad", "Mohamed", "Mohammad"),
  n("علي", "Ali", "Aly"),
  n("حسين", "Hussein", "Hussain", "Husayn", "Hossein"),
  n("حسن", "Hassan", "Hasan"),
  n("أحمد", "Ahmed", "Ahmad"),
  n("عباس", "Abbas", "Abas"),
  n("جاسم", "Jasim", "Jassim", "Jassem"),
  n("كاظم", "Kadhim", "Kazim", "Kathim"),
  n("مهدي", "Mahdi", "Mehdi"),
  n("حيدر", "Haidar", "Haider", "Hayder"),
  n("عمر", "Omar", "Umar"),
  n("خالد", "Khalid", "Khaled"),
  n("سعيد", "Saeed", "Said", "Saied"),
  n("مصطفى", "Mustafa", "Mostafa", "Moustafa"),
  n("كريم", "Karim", "Kareem"),
  n("عبد الله", "Abdullah", "Abdallah", "Abd Allah"),
  n("عبد الرحمن", "Abdulrahman", "Abdul Rahman", "Abd al-Rahman"),
  n("يوسف", "Yousif", "Yusuf", "Youssef"),
  n("إبراهيم", "Ibrahim", "Ebrahim"),
  n("صالح", "Salih", "Saleh"),
  n("فاضل", "Fadhil", "Fadel", "Fazil"),
  n("ناصر", "Nasir", "Nasser"),
  n("رعد", "Raad", "Ra'ad"),
  n("سجاد", "Sajjad", "Sajad"),
  n("مرتضى", "Murtada", "Murtadha", "Mortada"),
  n("ياسر", "Yasir", "Yasser"),
  n("طارق", "Tariq", "Tareq"),
  n("زيد", "Zaid", "Zeid"),
  n("فراس", "Firas", "Feras"),
  n("وليد", "Walid", "Waleed"),
  n("قاسم", "Qasim", "Kassim", "Qassem"),
  n("جعفر", "Jaafar", "Jafar", "Ja'far"),
];

export const femaleNames: readonly NameForms[] = [
  n("زينب", "Zainab", "Zaynab", "Zeinab"),
  n("فاطمة", "Fatima", "Fatma", "Fatimah"),
  n("مريم", "Maryam", "Mariam"),
  n("خديجة", "Khadija", "Khadeejah"),
  n("نور", "Nour", "Noor"),
  n("سارة", "Sara", "Sarah"),
  n("هدى", "Huda", "Hoda"),
  n("رقية", "Ruqaya", "Ruqayya"),
  n("أمل", "Amal"),
  n("سعاد", "Suad", "Souad"),
];

export const familyNames: readonly NameForms[] = [
  n("الساعدي", "al-Saadi", "Al-Saedi", "Alsaadi"),
  n("الجبوري", "al-Jubouri", "al-Jabouri", "Aljuboori"),
  n("الدليمي", "al-Dulaimi", "al-Dulaymi", "Aldulaimi"),
  n("التميمي", "al-Tamimi", "Al Tamimi", "Altamimi"),
  n("العبيدي", "al-Obaidi", "al-Ubaydi", "Alobaidi"),
  n("الزبيدي", "al-Zubaidi", "al-Zubaydi"),
  n("الشمري", "al-Shammari", "Al Shamari", "Alshammari"),
  n("الربيعي", "al-Rubaie", "al-Rubaiee", "Alrubaie"),
  n("السوداني", "al-Sudani", "al-Soudani"),
  n("الخفاجي", "al-Khafaji", "Al Khafagi"),
  n("البياتي", "al-Bayati", "Albayati"),
  n("الكعبي", "al-Kaabi", "al-Ka'bi"),
  n("العزاوي", "al-Azzawi", "al-Ezzawi"),
  n("الحسيني", "al-Husseini", "al-Hussaini"),
  n("الموسوي", "al-Musawi", "al-Moussawi"),
  n("الكبيسي", "al-Kubaisi", "al-Kubaysi"),
  n("الجنابي", "al-Janabi", "Aljanabi"),
  n("المالكي", "al-Maliki", "Al-Malki"),
  n("البدري", "al-Badri", "Albadri"),
  n("الحلفي", "al-Halfi", "Alhalfi"),
];

/** A name chain as its indices in the tables, so a later registration can respell it. */
export interface NameChain {
  female: boolean;
  given: number;
  father: number;
  grandfather: number;
  family: number;
  mother: number;
}

export function drawNameChain(s: Stream, female: boolean): NameChain {
  return {
    female,
    given: s.int(0, (female ? femaleNames : maleNames).length - 1),
    father: s.int(0, maleNames.length - 1),
    grandfather: s.int(0, maleNames.length - 1),
    family: s.int(0, familyNames.length - 1),
    mother: s.int(0, femaleNames.length - 1),
  };
}

/** How a registration writes the chain: which Latin spelling of each part, and whether it is cut short. */
export interface Spelling {
  variant: number;
  /** Drop the grandfather's name (a chain truncated at the table). */
  truncated: boolean;
}

const latin = (forms: NameForms, variant: number) => forms.latin[variant % forms.latin.length]!;

/** The person.register name, in Arabic script and in Latin letters, and the mother's name. */
export function writeName(chain: NameChain, spelling: Spelling = { variant: 0, truncated: false }) {
  const given = (chain.female ? femaleNames : maleNames)[chain.given]!;
  const father = maleNames[chain.father]!;
  const grandfather = maleNames[chain.grandfather]!;
  const family = familyNames[chain.family]!;
  const v = spelling.variant;
  return {
    name: {
      arabic: {
        given: given.ar,
        father: father.ar,
        ...(spelling.truncated ? {} : { grandfather: grandfather.ar }),
        family: family.ar,
      },
      latin: {
        given: latin(given, v),
        father: latin(father, v + 1),
        ...(spelling.truncated ? {} : { grandfather: latin(grandfather, v + 2) }),
        family: latin(family, v),
      },
    },
    motherName: { arabic: femaleNames[chain.mother]!.ar, latin: latin(femaleNames[chain.mother]!, v) },
  };
}

/** A name for a signatory (officer, witness): Latin letters, two parts. */
export function signatoryName(s: Stream): string {
  return `${s.pick(maleNames).latin[0]} ${s.pick(familyNames).latin[0]}`;
}
