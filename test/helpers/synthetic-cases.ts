// Synthetic service-case records full of personal data in every variant a department
// export really contains. Fixed seed; no real person anywhere.
import { createRng, syntheticBankCard, syntheticMobile, syntheticPersonName, syntheticResidentId } from '../../src/privacy/synthetic';

export const CASE_HEADER = ['办件编号', '事项名称', '申请人', '身份证号', '联系电话', '银行卡号', '所在区', '年龄', '受理日期', '备注'];
const DISTRICTS = ['蜀山区', '包河区', '庐阳区', '瑶海区'];
const ITEMS = ['社保卡补办', '居住证签注', '个体工商户登记', '不动产登记'];

const FULL_WIDTH = (text: string) => text.replace(/[0-9A-Za-z]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));

export interface SyntheticCases {
  csv: string;
  /** Every personal value in the file, raw as written and normalized. */
  secrets: string[];
}

export function syntheticCases(rows: number, seed = 20260301): SyntheticCases {
  const rng = createRng(seed);
  const secrets: string[] = [];
  const lines = [CASE_HEADER.join(',')];
  for (let index = 0; index < rows; index++) {
    const name = syntheticPersonName(rng);
    const id = syntheticResidentId(rng, { birthYears: [1950, 2004] });
    const mobile = syntheticMobile(rng);
    const card = syntheticBankCard(rng, 16);
    const variant = index % 5;
    const idWritten = variant === 0 ? id.toLowerCase() : variant === 1 ? FULL_WIDTH(id) : variant === 2 ? `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}` : id;
    const mobileWritten =
      variant === 0 ? `+86 ${mobile}` : variant === 1 ? `${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}` : variant === 2 ? FULL_WIDTH(mobile) : variant === 3 ? `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}` : mobile;
    const remark = index % 3 === 0 ? `联系人${name}，电话${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}` : '材料齐全';
    secrets.push(name, id, idWritten, mobile, mobileWritten, card);
    lines.push(
      [
        `HF2026${String(index).padStart(6, '0')}`,
        ITEMS[index % ITEMS.length],
        name,
        idWritten,
        mobileWritten,
        card,
        DISTRICTS[index % DISTRICTS.length],
        String(20 + (index % 50)),
        `2026-0${1 + (index % 9)}-1${index % 10}`,
        `"${remark}"`,
      ].join(','),
    );
  }
  return { csv: `${lines.join('\n')}\n`, secrets: [...new Set(secrets)] };
}
