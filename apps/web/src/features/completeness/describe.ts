import { TITLE_LEVEL_LABELS, type Condition, type Expectation, type YearExpr } from '@dangan/domain';

const YEAR_VARIABLES: Record<Extract<YearExpr, string>, string> = {
  work_start_year: '参加工作当年',
  party_join_year: '入党当年',
  last_year: '上一年',
  last_service_year: '上一年（不在职的为最后在职年份）',
};

export function yearText(e: YearExpr): string {
  if (typeof e === 'number') return `${e} 年`;
  if (typeof e === 'string') return YEAR_VARIABLES[e] ?? e;
  const parts = ('max' in e ? e.max : e.min).map(yearText);
  return `${parts.join('和')}中较${'max' in e ? '晚' : '早'}的一年`;
}

/** Who a rule concerns, in Chinese: 「1999 年以前参加工作」. */
export function conditionText(c: Condition): string {
  switch (c.kind) {
    case 'always':
      return '所有干部';
    case 'party_member':
      return '中共党员';
    case 'joined_party_before':
      return `${c.year} 年以前入党`;
    case 'worked_before':
      return `${c.year} 年以前参加工作`;
    case 'education_code_in':
      return c.label;
    case 'has_degree':
      return '有学位';
    case 'has_foreign_degree':
      return '有国（境）外学历学位';
    case 'title_at_least':
      return `${TITLE_LEVEL_LABELS[c.level]}及以上职称`;
    case 'all':
      return c.of.map(conditionText).join('，且');
    case 'any':
      return c.of.map(conditionText).join('，或');
  }
}

/** What a rule expects, in Chinese: 「每年一份：从 1997 年和参加工作当年中较晚的一年起至上一年」. */
export function expectationText(e: Expectation): string {
  switch (e.kind) {
    case 'one': {
      if (e.from !== undefined && e.to !== undefined) return `至少一份，形成于 ${yearText(e.from)}至${yearText(e.to)}`;
      if (e.from !== undefined) return `至少一份，形成于 ${yearText(e.from)}及以后`;
      if (e.to !== undefined) return `至少一份，形成于 ${yearText(e.to)}及以前`;
      return '至少一份';
    }
    case 'per_year':
      return `每年一份：从 ${yearText(e.from)}起至${yearText(e.to)}`;
    case 'per_appointment':
      return `${e.since} 年以来每次任免一份`;
  }
}

/** The rule's stored definition as the API gives it (`unknown` in the contract), read defensively. */
export function definitionText(definition: unknown): { applies: string; expects: string } | null {
  if (!definition || typeof definition !== 'object') return null;
  const d = definition as { appliesWhen?: Condition; expectation?: Expectation };
  if (!d.appliesWhen || !d.expectation) return null;
  try {
    return { applies: conditionText(d.appliesWhen), expects: expectationText(d.expectation) };
  } catch {
    return null;
  }
}
