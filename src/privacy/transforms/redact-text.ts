// Free-text columns (remarks, case descriptions) are the usual place personal data hides
// in a dataset that otherwise looks clean, so a kept text column has every detected span
// masked in place and the rest of the sentence stays readable.
import { scanText } from '../scan';
import { maskValue } from './mask';

/** `联系人张三，电话138 0013 8000` → `联系人张*，电话138****8000`. */
export function redactText(text: string): string {
  const spans = scanText(text);
  if (spans.length === 0) return text;
  let redacted = '';
  let cursor = 0;
  for (const span of spans) {
    redacted += text.slice(cursor, span.start) + maskValue(text.slice(span.start, span.end), span.type);
    cursor = span.end;
  }
  return redacted + text.slice(cursor);
}
