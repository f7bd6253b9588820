import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KaifangError } from '../../src/errors';
import {
  applyAction,
  deriveDatasetKey,
  DROPPED,
  generalizeAddress,
  generalizeAge,
  generalizeCoordinates,
  generalizeDate,
  maskValue,
  pseudonymize,
  redactText,
} from '../../src/privacy/index';

const PLATFORM_SECRET = 'test-only platform secret, 32+ bytes long';

describe('maskValue', () => {
  it.each([
    ['34010419900307126X', 'resident_id', '340104********126X'],
    ['340104 19900307 126x', 'resident_id', '340104********126X'],
    ['13800138000', 'mobile', '138****8000'],
    ['+86 138-0013-8000', 'mobile', '138****8000'],
    ['张三', 'person_name', '张*'],
    ['王小明', 'person_name', '王**'],
    ['欧阳娜娜', 'person_name', '欧阳**'],
    ['6222021234567890128', 'bank_card', '***************0128'],
    ['zhangsan@example.com', 'email', 'z***@example.com'],
    ['0551-62345678', 'landline', '0551-****5678'],
    ['安徽省合肥市蜀山区长江西路100号', 'address', '安徽省合肥市蜀山区****'],
    ['E12345678', 'passport', 'E******78'],
    ['皖A12345', 'licence_plate', '皖A***45'],
    ['abcdef', 'plain', 'a****f'],
    ['ab', 'plain', 'a*'],
    ['a', 'plain', '*'],
  ] as const)('%s as %s → %s', (value, type, expected) => {
    expect(maskValue(value, type)).toBe(expected);
  });
});

describe('pseudonymize', () => {
  const keyA = deriveDatasetKey(PLATFORM_SECRET, 'dataset-a');
  const keyB = deriveDatasetKey(PLATFORM_SECRET, 'dataset-b');

  it('is deterministic per dataset key, differs across datasets and from a plain hash', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (value) => {
        const first = pseudonymize(value, keyA);
        expect(pseudonymize(value, deriveDatasetKey(PLATFORM_SECRET, 'dataset-a'))).toBe(first);
        expect(pseudonymize(value, keyB)).not.toBe(first);
        const sha256 = createHash('sha256').update(value.trim(), 'utf8').digest('hex');
        expect(sha256.startsWith(first)).toBe(false);
        expect(first).toMatch(/^[0-9a-f]{32}$/);
      }),
    );
  });

  it('keeps at least 128 bits and offers base64url', () => {
    expect(pseudonymize('x', keyA, { encoding: 'base64url' })).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(pseudonymize('x', keyA, { bits: 256 })).toHaveLength(64);
    expect(() => pseudonymize('x', keyA, { bits: 64 })).toThrow(RangeError);
  });

  it('gives every written form of one identifier the same pseudonym', () => {
    const options = { type: 'mobile' } as const;
    const pseudonym = pseudonymize('13800138000', keyA, options);
    for (const variant of ['138 0013 8000', '+86-138-0013-8000', '１３８００１３８０００']) {
      expect(pseudonymize(variant, keyA, options)).toBe(pseudonym);
    }
    expect(pseudonymize('34010419900307126x', keyA, { type: 'resident_id' })).toBe(
      pseudonymize('34010419900307126X', keyA, { type: 'resident_id' }),
    );
  });

  it('refuses a short platform secret or an empty dataset id', () => {
    expect(() => deriveDatasetKey('short', 'd')).toThrow(KaifangError);
    expect(() => deriveDatasetKey(PLATFORM_SECRET, '')).toThrow(KaifangError);
  });
});

describe('generalize', () => {
  it.each([
    ['2024-03-07', 'month', '2024-03'],
    ['2024-03-07', 'year', '2024'],
    ['2024/3/7', 'month', '2024-03'],
    ['2024年3月7日', 'month', '2024-03'],
    ['20240307', 'month', '2024-03'],
    ['2024-03-07T10:00:00+08:00', 'month', '2024-03'],
    ['2024', 'month', '2024'],
    ['2024-13-01', 'month', null],
    ['not a date', 'year', null],
  ] as const)('date %s (%s) → %s', (value, granularity, expected) => {
    expect(generalizeDate(value, granularity)).toBe(expected);
  });

  it.each([
    [34, 10, '30-39'],
    ['34岁', 10, '30-39'],
    [0, 10, '0-9'],
    [37, 5, '35-39'],
    [89, 10, '80-89'],
    [93, 10, '90+'],
    ['abc', 10, null],
  ] as const)('age %s (band %s) → %s', (value, band, expected) => {
    expect(generalizeAge(value, band)).toBe(expected);
  });

  it.each([
    ['安徽省合肥市蜀山区长江西路100号', '安徽省合肥市蜀山区'],
    ['北京市海淀区中关村大街1号', '北京市海淀区'],
    ['广西壮族自治区南宁市青秀区民族大道1号', '广西壮族自治区南宁市青秀区'],
    ['安徽省肥西县上派镇三河村5组', '安徽省肥西县'],
    ['广东省东莞市南城街道鸿福路1号', '广东省东莞市'],
    ['合肥市区府路1号', '合肥市'],
    ['长江西路100号', null],
  ])('address %s → %s', (value, expected) => {
    expect(generalizeAddress(value)).toBe(expected);
  });

  it('rounds coordinates and refuses anything else', () => {
    expect(generalizeCoordinates('31.820591,117.227219', 2)).toBe('31.82,117.23');
    expect(generalizeCoordinates(117.227219, 3)).toBe('117.227');
    expect(generalizeCoordinates('蜀山区', 2)).toBeNull();
  });
});

describe('applyAction', () => {
  const datasetKey = deriveDatasetKey(PLATFORM_SECRET, 'dataset-a');

  it('applies each action', () => {
    expect(applyAction('keep', '13800138000', { type: 'mobile' })).toBe('13800138000');
    expect(applyAction('drop', '13800138000', { type: 'mobile' })).toBe(DROPPED);
    expect(applyAction('suppress', '13800138000', { type: 'mobile' })).toBeNull();
    expect(applyAction('mask', '13800138000', { type: 'mobile' })).toBe('138****8000');
    expect(applyAction('pseudonymize', '13800138000', { type: 'mobile', datasetKey })).toBe(
      pseudonymize('13800138000', datasetKey, { type: 'mobile' }),
    );
    expect(applyAction('generalize', '1990-03-07', { type: 'birth_date', generalize: { date: 'year' } })).toBe('1990');
    expect(applyAction('generalize', '2024-03-07', { type: 'plain', generalize: { as: 'date' } })).toBe('2024-03');
  });

  it('masks free text span by span', () => {
    expect(applyAction('mask', '联系人张三，电话138 0013 8000', { type: 'free_text' })).toBe('联系人张*，电话138****8000');
  });

  it('leaves empty cells null (or as they are when kept)', () => {
    expect(applyAction('pseudonymize', '', { type: 'mobile', datasetKey })).toBeNull();
    expect(applyAction('mask', null, { type: 'mobile' })).toBeNull();
    expect(applyAction('keep', undefined, { type: 'plain' })).toBeNull();
  });

  it('fails loudly instead of publishing raw values', () => {
    expect(() => applyAction('pseudonymize', 'x', { type: 'mobile' })).toThrow(KaifangError);
    expect(() => applyAction('generalize', 'x', { type: 'mobile' })).toThrow(
      expect.objectContaining({ code: 'unprocessable' }),
    );
    expect(applyAction('generalize', 'unknown', { type: 'birth_date' })).toBeNull();
  });
});

describe('redactText', () => {
  it('masks every detected span and keeps the sentence', () => {
    expect(redactText('申请人欧阳娜娜，身份证号34010419900307126X，邮箱zhangsan@example.com。')).toBe(
      '申请人欧阳**，身份证号340104********126X，邮箱z***@example.com。',
    );
    expect(redactText('没有个人信息的文本')).toBe('没有个人信息的文本');
  });
});
