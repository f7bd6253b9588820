// Property tests over synthetic, checksum-valid identifiers: every way a department
// writes one is still found, a single wrong check character is not, and ordinary text
// almost never raises anything.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_ALPHABET,
  DETECTOR_BY_TYPE,
  type DetectorType,
  redactText,
  scanText,
} from '../../src/privacy/index';
import {
  createRng,
  type Rng,
  syntheticBankCard,
  syntheticCreditCode,
  syntheticEmail,
  syntheticHkMacauPermit,
  syntheticLandline,
  syntheticLicencePlate,
  syntheticMobile,
  syntheticPassport,
  syntheticPersonName,
  syntheticAddress,
  syntheticResidentId,
} from '../../src/privacy/synthetic';
import { embed, grouped, toFullWidth } from './variants';

const RUNS = 200;

function generated(make: (rng: Rng) => string): fc.Arbitrary<string> {
  return fc.integer().map((seed) => make(createRng(seed)));
}

function expectFoundExactly(text: string, type: DetectorType, start: number, end: number): void {
  const spans = scanText(text);
  expect(spans, `${type} in ${text}`).toContainEqual({ type, start, end });
}

function expectFoundInVariants(type: DetectorType, value: string, variants: string[]): void {
  expect(DETECTOR_BY_TYPE[type].validate(value)).toBe(true);
  for (const variant of variants) {
    expect(DETECTOR_BY_TYPE[type].validate(variant), `validate ${variant}`).toBe(true);
    // Alone in a cell and embedded in a Chinese sentence, with the span on the original text.
    expectFoundExactly(variant, type, 0, variant.length);
    const { text, start, end } = embed(variant);
    expectFoundExactly(text, type, start, end);
  }
}

describe('generated identifiers are found in every variant', () => {
  it('resident ID: full-width, spaced, hyphenated, lower-case x, in free text', () => {
    fc.assert(
      fc.property(generated(syntheticResidentId), (id) => {
        const lower = id.toLowerCase();
        expectFoundInVariants('resident_id', id, [
          lower,
          toFullWidth(id),
          toFullWidth(lower),
          grouped(id, [6, 8], ' '),
          grouped(lower, [6, 8], '-'),
          grouped(id, [3, 3, 4, 4], ' '),
        ]);
      }),
      { numRuns: RUNS },
    );
  });

  it('credit code: full-width, lower-case, in free text', () => {
    fc.assert(
      fc.property(generated(syntheticCreditCode), (code) => {
        expectFoundInVariants('credit_code', code, [toFullWidth(code), code.toLowerCase()]);
      }),
      { numRuns: RUNS },
    );
  });

  it('bank card: grouped by four with spaces or hyphens, full-width, in free text', () => {
    fc.assert(
      fc.property(generated(syntheticBankCard), (card) => {
        expectFoundInVariants('bank_card', card, [
          toFullWidth(card),
          grouped(card, [4, 4, 4, 4], ' '),
          grouped(card, [4, 4, 4, 4], '-'),
          toFullWidth(grouped(card, [4, 4, 4, 4], ' ')),
        ]);
      }),
      { numRuns: RUNS },
    );
  });

  it('mobile: +86/0086/86- prefixes, 3-4-4 groups, full-width, in free text', () => {
    fc.assert(
      fc.property(generated(syntheticMobile), (mobile) => {
        const spaced = grouped(mobile, [3, 4], ' ');
        expectFoundInVariants('mobile', mobile, [
          spaced,
          grouped(mobile, [3, 4], '-'),
          `+86 ${spaced}`,
          `+86-${grouped(mobile, [3, 4], '-')}`,
          `+86${mobile}`,
          `0086 ${mobile}`,
          `86-${mobile}`,
          `(+86)${mobile}`,
          toFullWidth(mobile),
          toFullWidth(`+86 ${spaced}`),
        ]);
      }),
      { numRuns: RUNS },
    );
  });

  it('landline: hyphen, space, parentheses, full-width, in free text', () => {
    fc.assert(
      fc.property(generated(syntheticLandline), (landline) => {
        const [area, subscriber] = landline.split('-') as [string, string];
        expectFoundInVariants('landline', landline, [
          `${area} ${subscriber}`,
          `(${area})${subscriber}`,
          `${area}${subscriber}`,
          toFullWidth(`(${area})${subscriber}`),
        ]);
      }),
      { numRuns: RUNS },
    );
  });

  it('e-mail, licence plate: as written and full-width', () => {
    fc.assert(
      fc.property(generated(syntheticEmail), generated(syntheticLicencePlate), (email, plate) => {
        expectFoundInVariants('email', email, [toFullWidth(email)]);
        expectFoundInVariants('licence_plate', plate, [toFullWidth(plate), `${plate.slice(0, 2)}·${plate.slice(2)}`]);
      }),
      { numRuns: RUNS },
    );
  });

  it('passport and permit numbers after their cue words; names after 联系人; addresses', () => {
    fc.assert(
      fc.property(
        generated(syntheticPassport),
        generated(syntheticHkMacauPermit),
        generated(syntheticPersonName),
        generated(syntheticAddress),
        (passport, permit, name, address) => {
          for (const [type, value, cue] of [
            ['passport', passport, '护照号码：'],
            ['passport', toFullWidth(passport), '持护照'],
            ['hk_macau_permit', permit, '往来港澳通行证'],
            ['person_name', name, '联系人'],
            ['person_name', name, '申请人：'],
            ['address', address, '住址：'],
          ] as const) {
            expect(DETECTOR_BY_TYPE[type].validate(value)).toBe(true);
            const { text, start, end } = embed(value, cue);
            expectFoundExactly(text, type, start, end);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

function withCheckChar(value: string, alphabet: string, pick: number): string {
  const others = [...alphabet].filter((char) => char !== value.at(-1));
  return value.slice(0, -1) + others[pick % others.length];
}

describe('a wrong check character fails validation', () => {
  it.each<[DetectorType, (rng: Rng) => string, string]>([
    ['resident_id', syntheticResidentId, '0123456789X'],
    ['credit_code', syntheticCreditCode, CREDIT_CODE_ALPHABET],
    ['bank_card', syntheticBankCard, '0123456789'],
  ])('%s', (type, make, alphabet) => {
    fc.assert(
      fc.property(generated(make), fc.nat(), (value, pick) => {
        expect(DETECTOR_BY_TYPE[type].validate(value)).toBe(true);
        const flipped = withCheckChar(value, alphabet, pick);
        expect(DETECTOR_BY_TYPE[type].validate(flipped)).toBe(false);
        expect(scanText(`号码${flipped}。`).some((span) => span.type === type)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('ordinary text raises almost nothing', () => {
  const cjkChar = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCharCode(code));
  const chunk = fc.oneof(
    fc.string({ unit: cjkChar, minLength: 1, maxLength: 12 }),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }),
    // Numbers as text has them, each followed by a unit: digits glued into a 12-19 digit
    // run are card-shaped by construction and one in ten passes Luhn.
    fc.tuple(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom('元', '人', '次', '号', ' 户', '%')).map(([n, unit]) => `${n}${unit}`),
    fc.constantFrom('，', '。', ' ', '：', '、', '\n'),
  );
  const sentence = fc.array(chunk, { maxLength: 12 }).map((chunks) => chunks.join(''));

  it('flags under 1% of a fixed-seed sample of random ASCII/CJK text', () => {
    const sample = fc.sample(sentence, { seed: 20240307, numRuns: 5000 });
    const flagged = sample.filter((text) => scanText(text).length > 0);
    expect(flagged.length / sample.length, flagged.slice(0, 5).join(' | ')).toBeLessThan(0.01);
  });
});

describe('redaction', () => {
  it('leaves nothing detectable in text made of identifiers and prose', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
        (seed, prose) => {
          const rng = createRng(seed);
          const text =
            `联系人${syntheticPersonName(rng)}，${prose}身份证号${syntheticResidentId(rng)}，` +
            `电话${grouped(syntheticMobile(rng), [3, 4], ' ')}，卡号${syntheticBankCard(rng)}，` +
            `邮箱${syntheticEmail(rng)}，住址${syntheticAddress(rng)}，车牌${syntheticLicencePlate(rng)}。`;
          expect(scanText(text).length).toBeGreaterThanOrEqual(7);
          expect(scanText(redactText(text))).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
