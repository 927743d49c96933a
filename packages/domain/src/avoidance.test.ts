import { describe, expect, it } from 'vitest';
import { avoidance, birthDatesAgree, samePerson, type AvoidanceCadre } from './avoidance.js';

const cadre: AvoidanceCadre = {
  name: '王建国',
  idNumber: '110101197003071234',
  birthDate: '1970-03-07',
  relatives: [
    { relationLabel: '配偶', name: '李秀英', idNumber: '11010519491231002X', birthDate: '1949-12-31' },
    { relationLabel: '子女', name: '王小明', idNumber: null, birthDate: '1998-06' },
  ],
};

describe('回避', () => {
  it('refuses the cadre himself, by ID number (spaces and a lower-case x tolerated) or by name and birth date', () => {
    const byId = avoidance({ name: '王某', idNumber: ' 110101197003071234 ', birthDate: null }, cadre);
    expect(byId).toMatchObject({ kind: 'own', by: 'id_number' });
    expect(byId!.reason).toBe('回避：申请人本人即该干部（身份证号一致），不得查阅或审批本人档案');
    expect(avoidance({ name: '王建国', idNumber: null, birthDate: '1970-03-07' }, cadre)).toMatchObject({ kind: 'own', by: 'name_birth' });
  });

  it('refuses a recorded relative and names the relation', () => {
    const spouse = avoidance({ name: '李女士', idNumber: '11010519491231002x', birthDate: null }, cadre);
    expect(spouse!.reason).toBe('回避：申请人是该干部的配偶（家庭成员登记，身份证号一致）');
    const child = avoidance({ name: '王小明', idNumber: '110101199806151239', birthDate: '1998-06-15' }, cadre, { role: '审批人' });
    expect(child).toMatchObject({ kind: 'relative', by: 'name_birth', relation: '子女' });
    expect(child!.reason).toBe('回避：审批人是该干部的子女（家庭成员登记，姓名与出生日期一致）');
  });

  it('refuses when the person\'s own cadre record lists the target cadre as a relative', () => {
    const match = avoidance({ name: '赵六', idNumber: null, birthDate: null }, { ...cadre, relatives: [] }, {
      ownRelatives: [{ relationLabel: '兄弟姐妹', name: '王建国', idNumber: null, birthDate: '1970-03' }],
    });
    expect(match!.reason).toBe('回避：该干部是申请人的兄弟姐妹（申请人本人干部信息中的家庭成员登记，姓名与出生日期一致）');
  });

  it('lets a stranger through, and a namesake with another birth date', () => {
    expect(avoidance({ name: '张三', idNumber: '440304198506152037', birthDate: '1985-06-15' }, cadre)).toBeNull();
    expect(avoidance({ name: '王建国', idNumber: null, birthDate: '1971-03-07' }, cadre)).toBeNull();
    expect(avoidance({ name: '王建国', idNumber: null, birthDate: null }, cadre)).toBeNull();
  });

  it('matches birth dates to the precision both have, never on a bare year', () => {
    expect(birthDatesAgree('1970-03', '1970-03-07')).toBe(true);
    expect(birthDatesAgree('1970-03-07', '1970-03')).toBe(true);
    expect(birthDatesAgree('1970-03-07', '1970-03-08')).toBe(false);
    expect(birthDatesAgree('1970', '1970-03-07')).toBe(false);
    expect(samePerson({ name: '王 建国', idNumber: null, birthDate: '1970-03-07' }, cadre)).toBe('name_birth');
  });
});
