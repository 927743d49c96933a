import type { ImportReport } from '@dangan/contracts';
import { Col, Row, Statistic, Typography } from 'antd';

type Summary = ImportReport['summary'];

/** Nothing would be created or changed: the file matches what the system already holds. */
export function allUnchanged(s: Summary): boolean {
  return s.cadresCreated + s.cadresUpdated + s.materialsCreated + s.materialsUpdated === 0;
}

export function totalRows(s: Summary): { cadres: number; materials: number } {
  return {
    cadres: s.cadresCreated + s.cadresUpdated + s.cadresUnchanged,
    materials: s.materialsCreated + s.materialsUpdated + s.materialsUnchanged,
  };
}

/** 「新建干部 2 名、更新 0 名、未变 0 名；新增材料 5 份、更新 0 份、未变 0 份」, or 全部未变. */
export function summaryText(s: Summary): string {
  const { cadres, materials } = totalRows(s);
  if (allUnchanged(s)) {
    const parts = [cadres > 0 ? `${cadres} 名干部` : '', materials > 0 ? `${materials} 份材料` : ''].filter(Boolean);
    return parts.length ? `全部未变：文件中的 ${parts.join('、')}与系统中已有的数据完全一致` : '文件中没有数据';
  }
  return `新建干部 ${s.cadresCreated} 名、更新 ${s.cadresUpdated} 名、未变 ${s.cadresUnchanged} 名；新增材料 ${s.materialsCreated} 份、更新 ${s.materialsUpdated} 份、未变 ${s.materialsUnchanged} 份`;
}

function Figure({ title, value, unit, strong }: { title: string; value: number; unit: string; strong?: boolean }) {
  return (
    <Statistic
      title={title}
      value={value}
      suffix={unit}
      styles={{ content: { fontSize: 22, color: strong && value > 0 ? '#1d4f91' : undefined } }}
    />
  );
}

/** The six counts of an import, 干部 above 材料. */
export function SummaryFigures({ summary: s, done }: { summary: Summary; done: boolean }) {
  const verb = done ? { create: '已新建', update: '已更新' } : { create: '将新建', update: '将更新' };
  return (
    <div data-testid="import-summary">
      <Row gutter={[24, 12]}>
        <Col span={3}>
          <Typography.Text strong style={{ lineHeight: '56px' }}>
            干部
          </Typography.Text>
        </Col>
        <Col span={7}>
          <Figure title={verb.create} value={s.cadresCreated} unit="名" strong />
        </Col>
        <Col span={7}>
          <Figure title={verb.update} value={s.cadresUpdated} unit="名" strong />
        </Col>
        <Col span={7}>
          <Figure title="未变" value={s.cadresUnchanged} unit="名" />
        </Col>
        <Col span={3}>
          <Typography.Text strong style={{ lineHeight: '56px' }}>
            材料
          </Typography.Text>
        </Col>
        <Col span={7}>
          <Figure title={done ? '已新增' : '将新增'} value={s.materialsCreated} unit="份" strong />
        </Col>
        <Col span={7}>
          <Figure title={verb.update} value={s.materialsUpdated} unit="份" strong />
        </Col>
        <Col span={7}>
          <Figure title="未变" value={s.materialsUnchanged} unit="份" />
        </Col>
      </Row>
    </div>
  );
}
