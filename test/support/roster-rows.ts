/** Roster rows in the layout schools use, as the import benchmark and the size tests write them. */
import { checkCharacter } from '../../services/enrolment/src/domain/id-number';

export const REGION = '220102';
export const MAJOR = '660301';
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '秀英', '晓东'];

/** Student i of the roster: a valid, unique GB 11643 number whose birth date and sex agree with the row. */
export function rosterRow(i: number): Record<string, string | number> {
  const birth = new Date(Date.UTC(2010, 8, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
  const sequence = String(Math.floor(i / 365)).padStart(3, '0');
  const first17 = `${REGION}${birth.replace(/-/g, '')}${sequence}`;
  const male = Number(sequence[2]) % 2 === 1;
  return {
    姓名: SURNAMES[i % SURNAMES.length]! + GIVEN[(i * 7) % GIVEN.length]!,
    性别: male ? '男' : '女',
    出生日期: birth,
    身份证号: first17 + checkCharacter(first17),
    民族: '汉族',
    户口性质: i % 3 === 0 ? '农村' : '城镇',
    家庭住址: `吉林省长春市南关区人民大街${i + 1}号`,
    联系电话: `139${String(i).padStart(8, '0')}`,
    入学日期: '2026-09-01',
    入学批次: '秋季',
    学习形式: '全日制',
    专业代码: MAJOR,
    班级: `2026级${(i % 20) + 1}班`,
    学制: 3,
  };
}
