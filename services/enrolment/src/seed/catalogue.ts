/**
 * A sample of the 2021 national catalogue of vocational-education majors (职业教育专业目录, 2021),
 * secondary-vocational part: all 19 categories (专业大类) and a few dozen majors, for demo data
 * and tests only. In production the full catalogue is imported by an education authority, and
 * majors are registered only if they are in it and approved for the school (ENR-16).
 *
 * Flags: `agricultureRelated` marks 涉农专业 (the 61 category), which are locked against a change
 * of major once the tuition waiver was had (SC-10, SB-5); `waiverExcluded` marks performing-arts
 * majors, which the national waiver policy excludes (SB-6).
 */

export interface CatalogueMajor {
  /** 6 digits; the first two are the category code */
  code: string;
  name: string;
  categoryCode: string;
  categoryName: string;
  agricultureRelated: boolean;
  waiverExcluded: boolean;
  standardYears: number;
}

/** The 19 categories (专业大类) of the secondary-vocational catalogue, 61–79. */
export const MAJOR_CATEGORIES: { code: string; name: string }[] = [
  { code: '61', name: '农林牧渔大类' },
  { code: '62', name: '资源环境与安全大类' },
  { code: '63', name: '能源动力与材料大类' },
  { code: '64', name: '土木建筑大类' },
  { code: '65', name: '水利大类' },
  { code: '66', name: '装备制造大类' },
  { code: '67', name: '生物与化工大类' },
  { code: '68', name: '轻工纺织大类' },
  { code: '69', name: '食品药品与粮食大类' },
  { code: '70', name: '交通运输大类' },
  { code: '71', name: '电子与信息大类' },
  { code: '72', name: '医药卫生大类' },
  { code: '73', name: '财经商贸大类' },
  { code: '74', name: '旅游大类' },
  { code: '75', name: '文化艺术大类' },
  { code: '76', name: '新闻传播大类' },
  { code: '77', name: '教育与体育大类' },
  { code: '78', name: '公安与司法大类' },
  { code: '79', name: '公共管理与服务大类' },
];

type MajorRow = [code: string, name: string, flags?: { waiverExcluded?: boolean; standardYears?: number }];

const MAJORS: MajorRow[] = [
  ['610102', '设施农业生产技术'],
  ['610103', '现代农艺技术'],
  ['610104', '茶叶生产与加工'],
  ['610202', '园林技术'],
  ['610301', '畜禽生产技术'],
  ['610306', '宠物养护与经营'],
  ['610401', '水产养殖技术'],
  ['620601', '环境监测技术'],
  ['620801', '安全技术与管理'],
  ['630101', '发电厂及变电站电气设备'],
  ['640301', '建筑工程施工'],
  ['640501', '工程造价'],
  ['650201', '水利工程施工'],
  ['660103', '数控技术应用'],
  ['660301', '机电技术应用'],
  ['660303', '工业机器人技术应用'],
  ['660701', '汽车制造与检测'],
  ['670201', '化学工艺'],
  ['680402', '服装设计与工艺'],
  ['690102', '食品安全与检测技术'],
  ['690201', '药品食品检验'],
  ['700206', '汽车运用与维修'],
  ['700602', '城市轨道交通运营服务'],
  ['710102', '电子技术应用'],
  ['710201', '计算机应用'],
  ['710202', '计算机网络技术'],
  ['710204', '软件与信息服务'],
  ['710205', '数字媒体技术应用'],
  ['720201', '护理'],
  ['720401', '药剂'],
  ['730301', '会计事务'],
  ['730701', '电子商务'],
  ['730801', '物流服务与管理'],
  ['740101', '旅游服务与管理'],
  ['740104', '高星级饭店运营与管理'],
  ['740201', '中餐烹饪'],
  ['750102', '工艺美术'],
  ['750201', '音乐表演', { waiverExcluded: true }],
  ['750202', '舞蹈表演', { waiverExcluded: true, standardYears: 5 }],
  ['750203', '戏曲表演', { waiverExcluded: true, standardYears: 5 }],
  ['760201', '播音与节目主持'],
  ['770101', '幼儿保育'],
  ['770301', '运动训练', { standardYears: 5 }],
  ['780101', '社区警务辅助'],
  ['790301', '智慧健康养老服务'],
];

const CATEGORY_NAMES = new Map(MAJOR_CATEGORIES.map((c) => [c.code, c.name]));

/** The sample of majors, each with its category; codes unique, sorted. */
export const NATIONAL_MAJOR_CATALOGUE: CatalogueMajor[] = MAJORS.map(([code, name, flags]) => {
  const categoryCode = code.slice(0, 2);
  return {
    code,
    name,
    categoryCode,
    categoryName: CATEGORY_NAMES.get(categoryCode)!,
    agricultureRelated: categoryCode === '61',
    waiverExcluded: flags?.waiverExcluded ?? false,
    standardYears: flags?.standardYears ?? 3,
  };
});
