import { checkCharacter } from '../domain/id-number';

/** Demo schools in Jilin Province (GB/T 2260 county codes). */
export const DEMO_SCHOOLS = [
  { code: 'JL-220102-01', name: '长春市第一中等职业技术学校', regionCode: '220102' },
  { code: 'JL-220104-01', name: '长春市朝阳区职业教育中心', regionCode: '220104' },
  { code: 'JL-220202-01', name: '吉林市昌邑区职业技术学校', regionCode: '220202' },
  { code: 'JL-220302-01', name: '四平市铁西区职业中专', regionCode: '220302' },
  { code: 'JL-220402-01', name: '辽源市龙山区职业技术学校', regionCode: '220402' },
  { code: 'JL-220502-01', name: '通化市东昌区职业教育中心', regionCode: '220502' },
];

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
