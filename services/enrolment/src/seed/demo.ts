import { checkCharacter } from '../domain/id-number';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡'];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '晓东',
];

/** A deterministic demo student: a plausible name and a valid ID number from the school's county. */
export function demoStudent(regionCode: string, index: number): { name: string; idNumber: string } {
  const name = SURNAMES[index % SURNAMES.length]! + GIVEN[(index * 7) % GIVEN.length]!;
  const birth = new Date(Date.UTC(2009, 8, 1) + ((index * 37) % 700) * 86_400_000);
  const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const sequence = String(100 + (index % 899)).padStart(3, '0');
  const first17 = `${regionCode}${ymd}${sequence}`;
  return { name, idNumber: first17 + checkCharacter(first17) };
}
