import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldWidth, normalizeForDetection } from '../../src/privacy/index';
import { toFullWidth } from './variants';

describe('foldWidth', () => {
  it('folds full-width ASCII and the ideographic space one unit for one', () => {
    expect(foldWidth('１３８\u3000ＡＢＣ－ｘ')).toBe('138 ABC-x');
  });

  it('never changes the length, so free-text offsets stay valid', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => foldWidth(text).length === text.length));
  });
});

describe('normalizeForDetection', () => {
  it.each([
    ['+86 138 0013 8000', '13800138000'],
    ['+86-138-0013-8000', '13800138000'],
    ['(+86)13800138000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['86-138-0013-8000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['１３８ ００１３ ８０００', '13800138000'],
    ['138.0013.8000', '13800138000'],
    ['340104 19900307 126x', '34010419900307126X'],
    ['  340104-19900307-126x ', '34010419900307126X'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeForDetection(input)).toBe(expected);
  });

  it('keeps decimals, words and e-mail addresses intact', () => {
    expect(normalizeForDetection('31.8206')).toBe('31.8206');
    expect(normalizeForDetection('zhang.san@example.com')).toBe('zhang.san@example.com');
    expect(normalizeForDetection('hello world')).toBe('hello world');
    // 86 followed by something that is not a mobile is a number, not a country code.
    expect(normalizeForDetection('86-12345')).toBe('8612345');
  });

  it('joins spaced digits inside free text and leaves the rest', () => {
    expect(normalizeForDetection('联系人张三，电话138 0013 8000')).toBe('联系人张三,电话13800138000');
  });

  it('is idempotent, including on full-width text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), (text) => {
        for (const input of [text, toFullWidth(text)]) {
          const once = normalizeForDetection(input);
          expect(normalizeForDetection(once)).toBe(once);
        }
      }),
    );
  });
});
