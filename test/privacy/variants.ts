// Ways the same identifier is written in department exports, for property tests.

export function toFullWidth(text: string): string {
  return Array.from(text, (char) => {
    const code = char.charCodeAt(0);
    if (code === 0x20) return '\u3000';
    return code >= 0x21 && code <= 0x7e ? String.fromCharCode(code + 0xfee0) : char;
  }).join('');
}

/** Splits `text` into groups of the given sizes joined by `separator`; the rest forms the last group. */
export function grouped(text: string, sizes: readonly number[], separator: string): string {
  const groups: string[] = [];
  let position = 0;
  for (const size of sizes) {
    if (position >= text.length) break;
    groups.push(text.slice(position, position + size));
    position += size;
  }
  if (position < text.length) groups.push(text.slice(position));
  return groups.join(separator);
}

/** Wraps a value in a Chinese sentence; returns the text and where the value starts. */
export function embed(value: string, cue = '请核实以下信息：'): { text: string; start: number; end: number } {
  const text = `${cue}${value}，谢谢。`;
  return { text, start: cue.length, end: cue.length + value.length };
}
