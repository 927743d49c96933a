/**
 * Seed content of the data dictionary (代码表).
 *
 * Inserted by a migration on first start; afterwards the tables are edited in the
 * application (labels differ between provinces), so nothing here is authoritative at
 * run time. Codes follow the national standard named in `standard` where there is one;
 * tables marked "实践（可编辑）" use a local scheme and are meant to be adjusted.
 *
 * Entries are listed in display order: the sort order is the array index.
 * In hierarchical tables every `parentCode` names an entry of the same table that
 * appears earlier in the list.
 */

export interface SeedEntry {
  /** Stable code, as in the national standard where there is one. */
  code: string;
  /** Chinese label. */
  label: string;
  /** For hierarchical code tables: the code of the parent entry. */
  parentCode?: string;
}

export interface SeedType {
  /** Machine name, snake_case English, e.g. 'gender'. */
  type: string;
  /** Chinese name of the table, e.g. '性别'. */
  label: string;
  /** The standard the codes follow, e.g. 'GB/T 2261.1-2003'. */
  standard?: string;
  hierarchical: boolean;
  /** In display order. */
  entries: SeedEntry[];
}

/** Value of `standard` for tables that follow local practice rather than a national code. */
const PRACTICE = '实践（可编辑）';

export const dictionarySeed: readonly SeedType[] = [
  // ---------------------------------------------------------------- 性别
  {
    type: 'gender',
    label: '性别',
    standard: 'GB/T 2261.1-2003',
    hierarchical: false,
    entries: [
      { code: '0', label: '未知的性别' },
      { code: '1', label: '男' },
      { code: '2', label: '女' },
      { code: '9', label: '未说明的性别' },
    ],
  },

  // ---------------------------------------------------------------- 民族
  {
    type: 'ethnicity',
    label: '民族',
    standard: 'GB/T 3304-1991',
    hierarchical: false,
    entries: [
      { code: '01', label: '汉族' },
      { code: '02', label: '蒙古族' },
      { code: '03', label: '回族' },
      { code: '04', label: '藏族' },
      { code: '05', label: '维吾尔族' },
      { code: '06', label: '苗族' },
      { code: '07', label: '彝族' },
      { code: '08', label: '壮族' },
      { code: '09', label: '布依族' },
      { code: '10', label: '朝鲜族' },
      { code: '11', label: '满族' },
      { code: '12', label: '侗族' },
      { code: '13', label: '瑶族' },
      { code: '14', label: '白族' },
      { code: '15', label: '土家族' },
      { code: '16', label: '哈尼族' },
      { code: '17', label: '哈萨克族' },
      { code: '18', label: '傣族' },
      { code: '19', label: '黎族' },
      { code: '20', label: '傈僳族' },
      { code: '21', label: '佤族' },
      { code: '22', label: '畲族' },
      { code: '23', label: '高山族' },
      { code: '24', label: '拉祜族' },
      { code: '25', label: '水族' },
      { code: '26', label: '东乡族' },
      { code: '27', label: '纳西族' },
      { code: '28', label: '景颇族' },
      { code: '29', label: '柯尔克孜族' },
      { code: '30', label: '土族' },
      { code: '31', label: '达斡尔族' },
      { code: '32', label: '仫佬族' },
      { code: '33', label: '羌族' },
      { code: '34', label: '布朗族' },
      { code: '35', label: '撒拉族' },
      { code: '36', label: '毛南族' },
      { code: '37', label: '仡佬族' },
      { code: '38', label: '锡伯族' },
      { code: '39', label: '阿昌族' },
      { code: '40', label: '普米族' },
      { code: '41', label: '塔吉克族' },
      { code: '42', label: '怒族' },
      { code: '43', label: '乌孜别克族' },
      { code: '44', label: '俄罗斯族' },
      { code: '45', label: '鄂温克族' },
      { code: '46', label: '德昂族' },
      { code: '47', label: '保安族' },
      { code: '48', label: '裕固族' },
      { code: '49', label: '京族' },
      { code: '50', label: '塔塔尔族' },
      { code: '51', label: '独龙族' },
      { code: '52', label: '鄂伦春族' },
      { code: '53', label: '赫哲族' },
      { code: '54', label: '门巴族' },
      { code: '55', label: '珞巴族' },
      { code: '56', label: '基诺族' },
      { code: '97', label: '其他' },
      { code: '98', label: '外国血统中国籍人士' },
    ],
  },

  // ---------------------------------------------------------------- 政治面貌
  {
    type: 'political_status',
    label: '政治面貌',
    standard: 'GB/T 4762-1984',
    hierarchical: false,
    entries: [
      { code: '01', label: '中共党员' },
      { code: '02', label: '中共预备党员' },
      { code: '03', label: '共青团员' },
      { code: '04', label: '民革党员' },
      { code: '05', label: '民盟盟员' },
      { code: '06', label: '民建会员' },
      { code: '07', label: '民进会员' },
      { code: '08', label: '农工党党员' },
      { code: '09', label: '致公党党员' },
      { code: '10', label: '九三学社社员' },
      { code: '11', label: '台盟盟员' },
      { code: '12', label: '无党派人士' },
      { code: '13', label: '群众' },
    ],
  },

  // ---------------------------------------------------------------- 学历
  {
    type: 'education',
    label: '学历',
    standard: 'GB/T 4658-2006',
    hierarchical: true,
    entries: [
      { code: '10', label: '研究生教育' },
      { code: '11', label: '博士研究生毕业', parentCode: '10' },
      { code: '12', label: '博士研究生结业', parentCode: '10' },
      { code: '13', label: '博士研究生肄业', parentCode: '10' },
      { code: '14', label: '硕士研究生毕业', parentCode: '10' },
      { code: '15', label: '硕士研究生结业', parentCode: '10' },
      { code: '16', label: '硕士研究生肄业', parentCode: '10' },
      { code: '17', label: '研究生班毕业', parentCode: '10' },
      { code: '18', label: '研究生班结业', parentCode: '10' },
      { code: '19', label: '研究生班肄业', parentCode: '10' },
      { code: '20', label: '大学本科教育' },
      { code: '21', label: '大学本科毕业', parentCode: '20' },
      { code: '22', label: '大学本科结业', parentCode: '20' },
      { code: '23', label: '大学本科肄业', parentCode: '20' },
      { code: '28', label: '大学普通班毕业', parentCode: '20' },
      { code: '30', label: '大学专科教育' },
      { code: '31', label: '大学专科毕业', parentCode: '30' },
      { code: '32', label: '大学专科结业', parentCode: '30' },
      { code: '33', label: '大学专科肄业', parentCode: '30' },
      { code: '40', label: '中等职业教育' },
      { code: '41', label: '中等专科毕业', parentCode: '40' },
      { code: '42', label: '中等专科结业', parentCode: '40' },
      { code: '43', label: '中等专科肄业', parentCode: '40' },
      { code: '44', label: '职业高中毕业', parentCode: '40' },
      { code: '45', label: '职业高中结业', parentCode: '40' },
      { code: '46', label: '职业高中肄业', parentCode: '40' },
      { code: '47', label: '技工学校毕业', parentCode: '40' },
      { code: '48', label: '技工学校结业', parentCode: '40' },
      { code: '49', label: '技工学校肄业', parentCode: '40' },
      { code: '60', label: '普通高级中学教育' },
      { code: '61', label: '普通高中毕业', parentCode: '60' },
      { code: '62', label: '普通高中结业', parentCode: '60' },
      { code: '63', label: '普通高中肄业', parentCode: '60' },
      { code: '70', label: '初级中学教育' },
      { code: '71', label: '初中毕业', parentCode: '70' },
      { code: '73', label: '初中肄业', parentCode: '70' },
      { code: '80', label: '小学教育' },
      { code: '81', label: '小学毕业', parentCode: '80' },
      { code: '83', label: '小学肄业', parentCode: '80' },
      { code: '90', label: '其他' },
    ],
  },

  // ---------------------------------------------------------------- 学位
  {
    type: 'degree',
    label: '学位',
    standard: 'GB/T 6864-2003',
    hierarchical: true,
    entries: [
      { code: '1', label: '名誉博士' },

      { code: '2', label: '博士' },
      { code: '201', label: '哲学博士学位', parentCode: '2' },
      { code: '202', label: '经济学博士学位', parentCode: '2' },
      { code: '203', label: '法学博士学位', parentCode: '2' },
      { code: '204', label: '教育学博士学位', parentCode: '2' },
      { code: '205', label: '文学博士学位', parentCode: '2' },
      { code: '206', label: '历史学博士学位', parentCode: '2' },
      { code: '207', label: '理学博士学位', parentCode: '2' },
      { code: '208', label: '工学博士学位', parentCode: '2' },
      { code: '209', label: '农学博士学位', parentCode: '2' },
      { code: '210', label: '医学博士学位', parentCode: '2' },
      { code: '211', label: '军事学博士学位', parentCode: '2' },
      { code: '212', label: '管理学博士学位', parentCode: '2' },
      { code: '245', label: '临床医学博士专业学位', parentCode: '2' },
      { code: '248', label: '兽医博士专业学位', parentCode: '2' },
      { code: '250', label: '口腔医学博士专业学位', parentCode: '2' },

      { code: '3', label: '硕士' },
      { code: '301', label: '哲学硕士学位', parentCode: '3' },
      { code: '302', label: '经济学硕士学位', parentCode: '3' },
      { code: '303', label: '法学硕士学位', parentCode: '3' },
      { code: '304', label: '教育学硕士学位', parentCode: '3' },
      { code: '305', label: '文学硕士学位', parentCode: '3' },
      { code: '306', label: '历史学硕士学位', parentCode: '3' },
      { code: '307', label: '理学硕士学位', parentCode: '3' },
      { code: '308', label: '工学硕士学位', parentCode: '3' },
      { code: '309', label: '农学硕士学位', parentCode: '3' },
      { code: '310', label: '医学硕士学位', parentCode: '3' },
      { code: '311', label: '军事学硕士学位', parentCode: '3' },
      { code: '312', label: '管理学硕士学位', parentCode: '3' },
      { code: '341', label: '法律硕士专业学位', parentCode: '3' },
      { code: '342', label: '教育硕士专业学位', parentCode: '3' },
      { code: '343', label: '工程硕士专业学位', parentCode: '3' },
      { code: '344', label: '建筑学硕士专业学位', parentCode: '3' },
      { code: '345', label: '临床医学硕士专业学位', parentCode: '3' },
      { code: '346', label: '工商管理硕士专业学位', parentCode: '3' },
      { code: '347', label: '农业推广硕士专业学位', parentCode: '3' },
      { code: '348', label: '兽医硕士专业学位', parentCode: '3' },
      { code: '349', label: '公共管理硕士专业学位', parentCode: '3' },
      { code: '350', label: '口腔医学硕士专业学位', parentCode: '3' },
      { code: '351', label: '公共卫生硕士专业学位', parentCode: '3' },
      { code: '352', label: '军事硕士专业学位', parentCode: '3' },

      { code: '4', label: '学士' },
      { code: '401', label: '哲学学士学位', parentCode: '4' },
      { code: '402', label: '经济学学士学位', parentCode: '4' },
      { code: '403', label: '法学学士学位', parentCode: '4' },
      { code: '404', label: '教育学学士学位', parentCode: '4' },
      { code: '405', label: '文学学士学位', parentCode: '4' },
      { code: '406', label: '历史学学士学位', parentCode: '4' },
      { code: '407', label: '理学学士学位', parentCode: '4' },
      { code: '408', label: '工学学士学位', parentCode: '4' },
      { code: '409', label: '农学学士学位', parentCode: '4' },
      { code: '410', label: '医学学士学位', parentCode: '4' },
      { code: '411', label: '军事学学士学位', parentCode: '4' },
      { code: '412', label: '管理学学士学位', parentCode: '4' },
      { code: '444', label: '建筑学学士专业学位', parentCode: '4' },
    ],
  },

  // ---------------------------------------------------------------- 职务职级
  // 公务员职务与职级并行（2019）: ten levels of 领导职务 (L01–L10), then the
  // 综合管理类 职级 (R01–R12). 办事员 (R13) is the pre-2019 non-leadership post,
  // kept because older dossiers record it. Local codes: the GB/T 12403 / 12407
  // codes are not reproduced here.
  {
    type: 'rank',
    label: '职务职级',
    standard: PRACTICE,
    hierarchical: false,
    entries: [
      { code: 'L01', label: '国家级正职' },
      { code: 'L02', label: '国家级副职' },
      { code: 'L03', label: '省部级正职' },
      { code: 'L04', label: '省部级副职' },
      { code: 'L05', label: '厅局级正职' },
      { code: 'L06', label: '厅局级副职' },
      { code: 'L07', label: '县处级正职' },
      { code: 'L08', label: '县处级副职' },
      { code: 'L09', label: '乡科级正职' },
      { code: 'L10', label: '乡科级副职' },
      { code: 'R01', label: '一级巡视员' },
      { code: 'R02', label: '二级巡视员' },
      { code: 'R03', label: '一级调研员' },
      { code: 'R04', label: '二级调研员' },
      { code: 'R05', label: '三级调研员' },
      { code: 'R06', label: '四级调研员' },
      { code: 'R07', label: '一级主任科员' },
      { code: 'R08', label: '二级主任科员' },
      { code: 'R09', label: '三级主任科员' },
      { code: 'R10', label: '四级主任科员' },
      { code: 'R11', label: '一级科员' },
      { code: 'R12', label: '二级科员' },
      { code: 'R13', label: '办事员' },
    ],
  },

  // ---------------------------------------------------------------- 人员状态
  {
    type: 'personnel_status',
    label: '人员状态',
    standard: PRACTICE,
    hierarchical: false,
    entries: [
      { code: '1', label: '在职' },
      { code: '2', label: '离休' },
      { code: '3', label: '退休' },
      { code: '4', label: '调出' },
      { code: '5', label: '辞职' },
      { code: '6', label: '辞退' },
      { code: '7', label: '开除' },
      { code: '8', label: '去世' },
      { code: '9', label: '其他' },
    ],
  },

  // ---------------------------------------------------------------- 单位类型
  {
    type: 'unit_type',
    label: '单位类型',
    standard: PRACTICE,
    hierarchical: false,
    entries: [
      { code: '01', label: '党政机关' },
      { code: '02', label: '人大机关' },
      { code: '03', label: '政协机关' },
      { code: '04', label: '审判机关' },
      { code: '05', label: '检察机关' },
      { code: '06', label: '民主党派机关' },
      { code: '07', label: '群众团体' },
      { code: '08', label: '事业单位' },
      { code: '09', label: '国有企业' },
      { code: '99', label: '其他' },
    ],
  },

  // ---------------------------------------------------------------- 密级
  // Level names as in GB/T 7156; the numeric codes are local (the standard uses
  // letter marks). Ordered from lowest to highest, so a larger code is stricter.
  {
    type: 'secrecy_level',
    label: '密级',
    standard: PRACTICE,
    hierarchical: false,
    entries: [
      { code: '1', label: '内部' },
      { code: '2', label: '秘密' },
      { code: '3', label: '机密' },
      { code: '4', label: '绝密' },
    ],
  },

  // ---------------------------------------------------------------- 涉密人员等级
  // Ordered from lowest to highest, so a larger code is a higher clearance.
  {
    type: 'clearance',
    label: '涉密人员等级',
    standard: PRACTICE,
    hierarchical: false,
    entries: [
      { code: '0', label: '非涉密' },
      { code: '1', label: '一般涉密' },
      { code: '2', label: '重要涉密' },
      { code: '3', label: '核心涉密' },
    ],
  },

  // ---------------------------------------------------------------- 查阅目的
  {
    type: 'use_purpose',
    label: '查阅目的',
    standard: PRACTICE,
    hierarchical: false,
    entries: [
      { code: '01', label: '干部考察' },
      { code: '02', label: '干部任免' },
      { code: '03', label: '政审' },
      { code: '04', label: '出国（境）审查' },
      { code: '05', label: '纪检监察' },
      { code: '06', label: '工资福利' },
      { code: '07', label: '退休审批' },
      { code: '08', label: '干部人事档案专项审核' },
      { code: '09', label: '组织人事工作研究' },
      { code: '99', label: '其他' },
    ],
  },

  // ---------------------------------------------------------------- 家庭成员称谓
  {
    type: 'relation',
    label: '家庭成员称谓',
    standard: PRACTICE,
    hierarchical: false,
    entries: [
      { code: '10', label: '配偶' },
      { code: '20', label: '子女' },
      { code: '30', label: '父母' },
      { code: '40', label: '配偶父母' },
      { code: '50', label: '兄弟姐妹' },
      { code: '60', label: '子女配偶' },
      { code: '90', label: '其他亲属' },
    ],
  },

  // ---------------------------------------------------------------- 档案分类（十大类）
  {
    type: 'archive_class',
    label: '档案分类',
    standard: '干部人事档案工作条例（2018）',
    hierarchical: true,
    entries: [
      { code: '1', label: '履历类材料' },
      { code: '2', label: '自传和思想类材料' },
      { code: '3', label: '考核鉴定类材料' },
      { code: '4', label: '学历学位、专业技术职务(职称)、学术评鉴和教育培训类材料' },
      { code: '4-1', label: '学历学位', parentCode: '4' },
      { code: '4-2', label: '职业(任职)资格和专业技术职务(职称)', parentCode: '4' },
      { code: '4-3', label: '科研学术(学术评鉴)', parentCode: '4' },
      { code: '4-4', label: '培训', parentCode: '4' },
      { code: '5', label: '政审、审计和审核类材料' },
      { code: '6', label: '党、团类材料' },
      { code: '7', label: '表彰奖励类材料' },
      { code: '8', label: '违规违纪违法处理处分类材料' },
      { code: '9', label: '工资、任免、出国和会议代表类材料' },
      { code: '9-1', label: '工资', parentCode: '9' },
      { code: '9-2', label: '任免', parentCode: '9' },
      { code: '9-3', label: '出国(境)', parentCode: '9' },
      { code: '9-4', label: '会议代表(及其他)', parentCode: '9' },
      { code: '10', label: '其他可供组织参考的材料' },
    ],
  },
];
