// Where a period does not end a sentence. Unicode's sentence rules (UAX #29, as Intl.Segmenter applies them) break
// after "Dr. " or "e.g. " whenever a capital follows; ICU fixes that with per-language suppression lists that
// Intl.Segmenter does not expose. These lists are ours, per language, and every language also gets the English one:
// scripts in any language borrow "Dr.", "vs." and "etc.".

/** Written as they appear, separated by spaces; each also matches with its first letter capitalized (a sentence's start). */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  en: `Mr. Mrs. Ms. Mx. Dr. Prof. Sr. Jr. St. Rev. Fr. Hon. Pres. Gov. Sen. Rep. Gen. Col. Maj. Capt. Lt.
    Sgt. Cpl. Cmdr. Adm. Insp. Supt. Atty. e.g. i.e. etc. vs. cf. al. viz. ca. approx. esp. incl. no.
    No. Nos. vol. Vol. ch. Ch. chap. sec. Sec. fig. Fig. eq. Eq. p. pp. ed. eds. op. Op. ibid. misc.
    dept. Dept. est. min. max. tel. Tel. ext. Inc. Ltd. Co. Corp. Bros. Assn. Univ. Ave. Blvd. Rd. Mt.
    Ft. Pl. Sq. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. Mon. Tue. Tues. Wed. Thu.
    Thurs. Fri. Sat. Sun. a.m. p.m. hr. hrs. mins. secs.`,
  de: `Hr. Hrn. Fr. Frl. Dr. Prof. Dipl. Ing. z.B. d.h. u.a. usw. bzw. ca. evtl. ggf. inkl. exkl. vgl. Nr.
    S. Str. Jh. Mio. Mrd. Tel. u.U. v.a. o.ä. z.T. sog. bspw. Abs. Abb. Bd. Kap. Tab. Jan. Feb. Apr.
    Aug. Sept. Okt. Nov. Dez. Mo. Di. Mi. Do. Sa. So.`,
  fr: `M. MM. Mme. Mmes. Mlle. Mlles. Dr. Pr. Me. St. Ste. av. bd. etc. p.ex. c.-à-d. cf. env. ex. fig.
    vol. p. chap. janv. févr. avr. juil. sept. oct. nov. déc. hab. n°.`,
  es: `Sr. Sra. Srta. Sres. Dr. Dra. Lic. Ing. Prof. Ud. Uds. Vd. pág. págs. p.ej. etc. aprox. núm. art.
    cap. Avda. Av. ej. EE.UU. ene. feb. mar. abr. jun. jul. ago. sept. oct. nov. dic. Sto. Sta. Dña. D.`,
  it: `Sig. Sig.ra Sigg. Dott. Dott.ssa Prof. Avv. Ing. Arch. ecc. es. pag. pagg. cap. fig. vol. ca. S.
    Sant. gen. feb. apr. giu. lug. ago. sett. ott. nov. dic.`,
  pt: `Sr. Sra. Srta. Dr. Dra. Prof. Profa. Eng. etc. p.ex. pág. págs. cap. fig. vol. n.º Av. Sto. Sta.
    jan. fev. mar. abr. jun. jul. ago. set. out. nov. dez.`,
  nl: `dhr. Dhr. mevr. Mevr. dr. Dr. prof. Prof. ir. mr. drs. bijv. bv. d.w.z. o.a. enz. etc. ca. blz. nr.
    Nr. jan. feb. mrt. apr. jun. jul. aug. sep. okt. nov. dec.`,
};

const cache = new Map<string, ReadonlySet<string>>();

function abbreviationsOf(language: string | undefined): ReadonlySet<string> {
  const primary = (language ?? '').toLowerCase().split(/[-_]/)[0];
  let set = cache.get(primary);
  if (!set) {
    const own = primary !== 'en' && Object.hasOwn(ABBREVIATIONS, primary) ? ABBREVIATIONS[primary] : '';
    const words = `${ABBREVIATIONS.en} ${own}`.split(/\s+/).filter(Boolean);
    set = new Set([...words, ...words.map((word) => word.charAt(0).toUpperCase() + word.slice(1))]);
    cache.set(primary, set);
  }
  return set;
}

/** An initial (`J.`), or letters with periods between them (`U.S.`, `Ph.D.`, `z.B.`). */
const INITIALS = /^(?:[\p{Lu}\p{Ll}]{1,3}\.)*[\p{Lu}\p{Ll}]\.$/u;
/** A number's period: an ordinal (`am 3. Mai`), a numbered step or year (`step 2.`, `1990.`). */
const NUMBER_PERIOD = /\p{Nd}\.$/u;
const OPENING_PUNCTUATION = /^[\p{Ps}\p{Pi}"'¿¡]+/u;

/**
 * True when text ends with an abbreviation, a title, an initial or a number followed by its period (trailing
 * whitespace ignored): a cut right after it would split what a listener hears as one sentence ("Prof. | Hughes").
 * language is a BCP 47 tag choosing the list (English, German, French, Spanish, Italian, Portuguese, Dutch, each
 * with the English list); unknown or absent: the English list.
 */
export function endsWithAbbreviation(text: string, language?: string): boolean {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith('.')) return false;
  const token = trimmed.slice(trimmed.search(/\S+$/)).replace(OPENING_PUNCTUATION, '');
  return INITIALS.test(token) || NUMBER_PERIOD.test(token) || abbreviationsOf(language).has(token);
}
