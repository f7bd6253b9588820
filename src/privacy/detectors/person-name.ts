// Chinese personal names. Two to four characters starting with a common surname describe
// far too many ordinary words (高新, 王府井), so a name is only recognised where the
// context says one is expected: a column headed 姓名/联系人/…, or right after a cue word
// such as 联系人 or 申请人 in free text.
import { foldWidth } from '../normalize';
import type { Detector, Span } from '../types';

/** The most common single-character surnames, the top 100 first (they cover most of the population). */
export const COMMON_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池乐匡';
/** Compound surnames, checked before single ones so 欧阳娜娜 masks as 欧阳**. */
export const COMPOUND_SURNAMES = [
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐',
  '长孙', '宇文', '司徒', '夏侯', '轩辕', '端木', '独孤', '南宫', '西门', '申屠',
  '呼延', '澹台', '公冶', '太史', '濮阳', '钟离', '闻人', '万俟', '赫连', '拓跋',
];

const CJK_NAME = /^[\u4e00-\u9fff]{2,4}$/;

/** The surname a name starts with (compound first), or null if it starts with none we know. */
export function surnameOf(name: string): string | null {
  const compound = COMPOUND_SURNAMES.find((surname) => name.startsWith(surname));
  if (compound !== undefined) return compound;
  const first = name[0];
  return first !== undefined && COMMON_SURNAMES.includes(first) ? first : null;
}

/** Strict shape check: single surname + 1-2 characters, or compound surname + 1-2. */
export function isPersonName(value: string): boolean {
  if (!CJK_NAME.test(value)) return false;
  const surname = surnameOf(value);
  if (surname === null) return false;
  const givenChars = value.length - surname.length;
  return givenChars >= 1 && givenChars <= 2;
}

// Cue words after which a name is expected in free text, with optional 姓名, 为/是 and a colon.
const CUE =
  /(?:法定代表人|法人代表|被申请人|联系人|申请人|经办人|负责人|代理人|委托人|收件人|投诉人|举报人|当事人|监护人|签收人|办理人|户主|患者|姓名|name)(?:姓名)?[:：\s]{0,2}(?:为|是)?[:：\s]{0,2}/gi;
// Characters that end a name when they follow the first given-name character: particles,
// verbs and the starts of words that usually come next (电话, 身份证, 地址, 性别, 先生…).
const STOP_CHARS = new Set('于在是的已等向说称男女电手地住身证号性年岁今请将从到和与及先同因经所被把对为'.split(''));

function nameAt(folded: string, position: number): { start: number; end: number } | null {
  const run = /^[\u4e00-\u9fff]{2,4}/.exec(folded.slice(position, position + 4));
  if (run === null) return null;
  const surname = surnameOf(run[0]);
  if (surname === null) return null;
  let end = Math.min(run[0].length, surname.length + 2);
  for (let i = surname.length + 1; i < end; i++) {
    if (STOP_CHARS.has(run[0][i]!)) {
      end = i;
      break;
    }
  }
  const name = run[0].slice(0, end);
  // A surname that is also a particle (于, 向, 和) usually is the particle after a cue word
  // (申请人于昨日提交), so such a name only counts when punctuation or a number ends it.
  if (STOP_CHARS.has(name[0]!) && /^[\u4e00-\u9fff]/.test(folded.slice(position + end))) return null;
  return isPersonName(name) ? { start: position, end: position + end } : null;
}

export const personNameDetector: Detector = {
  type: 'person_name',
  label: { zh: '姓名', en: 'Personal name' },
  columnHint:
    /姓名|名字|联系人|申请人|法定代表人|法人代表|负责人|经办人|代理人|委托人|收件人|户主|患者|^name$|full[ _-]?name|contact|applicant|person|owner|representative/i,
  validate: (candidate) => isPersonName(foldWidth(candidate).trim()),
  find: (text) => {
    const folded = foldWidth(text);
    const spans: Span[] = [];
    // The shared global CUE is safe to reuse: nothing below runs another name search.
    const cue = CUE;
    cue.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = cue.exec(folded)) !== null) {
      const found = nameAt(folded, match.index + match[0].length);
      if (found !== null) spans.push({ type: 'person_name' as const, ...found });
    }
    return spans;
  },
};
