// Department exports write the same identifier many ways: full-width digits typed with a
// Chinese input method, phone numbers grouped 3-4-4 or prefixed +86, ID numbers with a
// lower-case x. Detectors normalise first so a checksum sees the digits, not the typing.

const WIDTH_VARIANTS = /[\uff01-\uff5e\u3000\u2010-\u2015\u2212]/;
// Offset between a full-width form (U+FF01..FF5E) and its ASCII counterpart.
const FULL_WIDTH_OFFSET = 0xfee0;

/**
 * Full-width ASCII to half-width, the ideographic space to a space and Unicode dashes to
 * `-`. Every change is one UTF-16 unit for one, so an offset found in the folded text is
 * the same offset in the original: free-text spans can be reported without a map.
 */
export function foldWidth(text: string): string {
  if (!WIDTH_VARIANTS.test(text)) return text;
  let folded = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) folded += String.fromCharCode(code - FULL_WIDTH_OFFSET);
    else if (code === 0x3000) folded += ' ';
    else if ((code >= 0x2010 && code <= 0x2015) || code === 0x2212) folded += '-';
    else folded += text[i];
  }
  return folded;
}

// A country code only counts when a mobile number follows it; `86` alone is too common a
// number to strip anywhere else. Runs before separators go, because the separator after
// `86` is what tells the country code from the first digits of a longer number.
const COUNTRY_CODE =
  /(?<![\dA-Za-z])(?:\(\+86\)|\+ ?86|0086|86(?=[ -]|1[3-9]\d{9}(?![\dA-Za-z])))[ -]?(?=1[3-9](?:[ .-]?\d){9}(?![\dA-Za-z]))/g;
// A decimal number has one dot; two or more dots between digits are group separators
// (138.0013.8000), so only those runs lose their dots and coordinates keep their value.
const DOTTED_DIGIT_GROUPS = /\d+(?:\.\d+){2,}/g;
const SEPARATOR_BETWEEN_DIGITS = /(?<=\d)[ \u00a0-](?=\d)/g;
const LOWER_CASE_ID_X = /(?<![\dA-Za-z])(\d{17})x(?![\dA-Za-z])/g;

/**
 * The form detectors validate: width folded, trimmed, `+86`/`0086`/`86-` dropped before a
 * mobile number, spaces, hyphens and dot groups between digits removed, and the check
 * character of an 18-character resident ID upper-cased. Works on a whole cell and on free
 * text alike (it only ever joins digits), and is idempotent.
 */
export function normalizeForDetection(text: string): string {
  let normalized = foldWidth(text).trim();
  if (!/\d/.test(normalized)) return normalized;
  normalized = normalized.replace(COUNTRY_CODE, '');
  normalized = normalized.replace(DOTTED_DIGIT_GROUPS, (run) => run.replaceAll('.', ''));
  normalized = normalized.replace(SEPARATOR_BETWEEN_DIGITS, '');
  normalized = normalized.replace(LOWER_CASE_ID_X, '$1X');
  return normalized;
}
