import { describe, expect, it } from 'vitest';
import {
  DETECTOR_BY_TYPE,
  DETECTORS,
  DETECTOR_TYPES,
  type DetectorType,
  isResidentId,
  scanText,
} from '../../src/privacy/index';

// All synthetic; the resident IDs and credit codes below were made with the check algorithms.
const examples: Record<DetectorType, { valid: string[]; invalid: string[] }> = {
  resident_id: {
    valid: ['34010419900307126X', '34010419900307003X', '11010119800101001X'.slice(0, 17) + checkOf('11010119800101001'), '810000199001010014'.slice(0, 17) + checkOf('81000019900101001')],
    invalid: [
      '34010419900307123X', // wrong check character
      '34010419900307126', // 17 characters
      '99010419900307126X'.slice(0, 17) + checkOf('99010419900307126'), // no province 99
      '34010418990307126X'.slice(0, 17) + checkOf('34010418990307126'), // born 1899
      '34010419900230126X'.slice(0, 17) + checkOf('34010419900230126'), // 30 February
      '34010421990307126X'.slice(0, 17) + checkOf('34010421990307126'), // born in 2199
      '3401041990030712XX',
    ],
  },
  credit_code: {
    valid: ['91340100MA2N0P5D3X'.slice(0, 17) + creditCheck('91340100MA2N0P5D3'), '913401001234567890'.slice(0, 17) + creditCheck('91340100123456789')],
    invalid: [
      '91340100MA2N0P5D3' + (creditCheck('91340100MA2N0P5D3') === '0' ? '1' : '0'),
      '91340100MA2N0P5D3I', // I is not in the alphabet
      '9134010MA2N0P5D3XY', // region not six digits
      '91340100MA2N0P5D3',
    ],
  },
  bank_card: {
    valid: ['6222021234567890128', '6228480402564890018'.slice(0, 18) + luhn('622848040256489001'), '4111111111111111'],
    invalid: ['6222021234567890129', '62220212345', '0551623456785'.slice(0, 12) + luhn('055162345678'), '13800138000'],
  },
  mobile: {
    valid: ['13800138000', '+86 138 0013 8000', '139-0013-8000', '１９９００１３８０００', '0086 15012345678'],
    invalid: ['12800138000', '1380013800', '138001380001', '23800138000'],
  },
  landline: {
    valid: ['0551-62345678', '(0551)6234567', '010-62345678', '021 62345678', '（０５５１）６２３４５６７８'],
    invalid: ['0551-0234567', '010-6234567', '62345678', '0551-623456789', '1551-62345678'],
  },
  email: {
    valid: ['zhang.san@example.com', 'li_si+test@mail.example.org', 'ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ'],
    invalid: ['zhang.san@', '@example.com', 'zhang..san@example.com', 'zhang san@example.com', 'a@b'],
  },
  passport: {
    valid: ['E12345678', 'G12345678', 'EA1234567', 'e12345678'],
    invalid: ['E1234567', 'EI1234567', 'A12345678', 'E123456789'],
  },
  hk_macau_permit: {
    valid: ['C12345678', 'CA1234567'],
    invalid: ['C1234567', 'CO1234567', 'D12345678'],
  },
  licence_plate: {
    valid: ['皖A12345', '皖AD12345', '京B·A1234', '粤B12345F', '沪AF1234A'.slice(0, 3) + '12345'],
    invalid: ['皖A1234', '皖I12345', '哈A12345', '皖A123456', 'AA12345'],
  },
  person_name: {
    valid: ['张三', '欧阳娜娜', '王小明', '司马光'],
    invalid: ['张', '张三丰盛大', 'Zhang San', '合肥', '欧阳'],
  },
  address: {
    valid: ['安徽省合肥市蜀山区长江西路100号', '长江西路100号', '合肥市蜀山区某某小区3栋2单元401室', '安徽省肥西县上派镇三河村5组'],
    invalid: ['合肥市蜀山区', '合肥市政务服务中心', '长江西路', 'Shushan District'],
  },
};

function checkOf(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
  return '10X98765432'[sum % 11]!;
}
function creditCheck(first17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += alphabet.indexOf(first17[i]!) * (3 ** i % 31);
  return alphabet[(31 - (sum % 31)) % 31]!;
}
function luhn(payload: string): string {
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let digit = Number(payload[i]);
    if (double) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

describe('detector registry', () => {
  it('has one detector per type, in specificity order, each with a bilingual label', () => {
    expect(DETECTORS.map((detector) => detector.type)).toEqual([...DETECTOR_TYPES]);
    for (const detector of DETECTORS) {
      expect(detector.label.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(detector.label.en).toMatch(/[a-z]/i);
    }
  });
});

describe.each(Object.entries(examples))('%s.validate', (type, { valid, invalid }) => {
  const detector = DETECTOR_BY_TYPE[type as DetectorType];
  it.each(valid)('accepts %s', (value) => {
    expect(detector.validate(value)).toBe(true);
  });
  it.each(invalid)('rejects %s', (value) => {
    expect(detector.validate(value)).toBe(false);
  });
});

describe('resident ID birth dates', () => {
  it('rejects a birth date after today', () => {
    const body = '34010420300101001';
    expect(isResidentId(body + checkOf(body), Date.UTC(2029, 0, 1))).toBe(false);
    expect(isResidentId(body + checkOf(body), Date.UTC(2031, 0, 1))).toBe(true);
  });
});

describe('bank cards are not resident IDs or phones', () => {
  it('does not flag a valid resident ID that happens to pass Luhn as a card', () => {
    // Search the sequence space for an ID that also passes Luhn: about one in ten does.
    for (let sequence = 0; sequence < 1000; sequence++) {
      const body = `34010419900307${String(sequence).padStart(3, '0')}`;
      const id = body + checkOf(body);
      if (/\d$/.test(id) && luhn(id.slice(0, -1)) === id.slice(-1)) {
        expect(DETECTOR_BY_TYPE.bank_card.validate(id)).toBe(false);
        expect(scanText(`证件${id}`).map((span) => span.type)).toEqual(['resident_id']);
        return;
      }
    }
    throw new Error('no Luhn-valid resident ID in the searched range');
  });
});

function found(text: string): [DetectorType, string][] {
  return scanText(text).map((span) => [span.type, text.slice(span.start, span.end)]);
}

describe('find inside free text (spans on the original text)', () => {
  it.each<[string, [DetectorType, string][]]>([
    ['联系人张三，电话138 0013 8000', [['person_name', '张三'], ['mobile', '138 0013 8000']]],
    ['身份证号：34010419900307126X', [['resident_id', '34010419900307126X']]],
    ['身份证号：３４０１０４１９９００３０７１２６ｘ。', [['resident_id', '３４０１０４１９９００３０７１２６ｘ']]],
    ['申请人欧阳娜娜于2024年3月提交', [['person_name', '欧阳娜娜']]],
    ['手机：+86 139-0013-8000；邮箱zhang.san@example.com。', [['mobile', '+86 139-0013-8000'], ['email', 'zhang.san@example.com']]],
    ['住址安徽省合肥市蜀山区长江西路100号3栋2单元401室。', [['address', '安徽省合肥市蜀山区长江西路100号3栋2单元401室']]],
    ['车辆皖A12345与皖AD12345相撞', [['licence_plate', '皖A12345'], ['licence_plate', '皖AD12345']]],
    ['护照号码E12345678，往来港澳通行证C12345678', [['passport', 'E12345678'], ['hk_macau_permit', 'C12345678']]],
    ['电话0551-62345678或（0551）6234567', [['landline', '0551-62345678'], ['landline', '（0551）6234567']]],
    ['卡号6222 0212 3456 7890 128，请查收', [['bank_card', '6222 0212 3456 7890 128']]],
    ['邮箱13800138000@example.com', [['email', '13800138000@example.com']]],
  ])('%s', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('needs a cue word for passport-shaped and permit-shaped codes', () => {
    expect(found('订单E12345678已发货，批次C12345678')).toEqual([]);
  });

  it('finds names only after a cue word', () => {
    expect(found('张三和李四去了王府井')).toEqual([]);
    expect(found('经办人：王小明先生')).toEqual([['person_name', '王小明']]);
    expect(found('联系人张三电话13800138000')).toEqual([['person_name', '张三'], ['mobile', '13800138000']]);
  });

  it('does not take numbers inside longer runs or codes', () => {
    expect(found('流水号2024030713800138000123')).toEqual([]);
    expect(found('编号AB13800138000')).toEqual([]);
    expect(found('坐标31.820591,117.227219')).toEqual([]);
    expect(found('2024-03-07 10:00:00 共计 1234 元')).toEqual([]);
  });
});

describe('cue words followed by ordinary words', () => {
  it.each(['申请人于昨日提交材料', '联系人和申请人均已到场', '经办人：已离职'])('%s raises nothing', (text) => {
    expect(scanText(text)).toEqual([]);
  });
});
