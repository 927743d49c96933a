/**
 * Material names as clerks type them vary in spacing, brackets, full-width forms and embedded years
 * ("2003年度考核登记表", "干部履历表（1999年版）"). Rules match on a normalized form.
 */

/*
 * A number with its date unit is dropped, but 年 stays when 度 follows, so that "2003年度考核登记表"
 * still contains 年度考核 (while "2003年5月7日入党志愿书" loses all of its date).
 */
const NUMBERS_WITH_UNITS = /\d+(?:年(?!度)|月|日|号)?/g;
const PUNCTUATION_AND_SPACE = /[\p{P}\p{S}\s]/gu;

/** Full-width to half-width, lower case, no numbers with their date units, no punctuation or spaces. */
export function normalizeMaterialName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(NUMBERS_WITH_UNITS, '')
    .replace(PUNCTUATION_AND_SPACE, '');
}

/** Four-digit years 1900–2099 that stand alone in the name ("2003年度", "（1999年版）"), in order. */
export function yearsInName(name: string): number[] {
  const found = name.normalize('NFKC').matchAll(/(?<!\d)(19\d{2}|20\d{2})(?!\d)/g);
  return [...found].map((m) => Number(m[1]));
}

/** True when the normalized name contains the normalized synonym (an empty synonym matches nothing). */
export function nameMatches(name: string, synonym: string): boolean {
  const s = normalizeMaterialName(synonym);
  return s !== '' && normalizeMaterialName(name).includes(s);
}
