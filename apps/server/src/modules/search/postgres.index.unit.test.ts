import { describe, expect, it } from 'vitest';
import { pagePlan, tsqueryText, tsvectorLiteral } from './postgres.index.js';
import { parseQuery, tokenize } from './search.text.js';

describe('PostgreSQL search vectors and queries', () => {
  it('indexes each Han character with the pair and the triple that start at it, never across a break', () => {
    expect(tsvectorLiteral(tokenize('王伟明，任科员'))).toBe(
      "'王':1 '王伟':1 '王伟明':1 '伟':2 '伟明':2 '明':3 '任':4 '任科':4 '任科员':4 '科':5 '科员':5 '员':6",
    );
    expect(tsvectorLiteral(tokenize('1988年7月'))).toBe("'1988':1 '年':2 '7':3 '月':4");
  });

  it('asks for a run of up to three characters as one lexeme, a longer one by its triples checked on the text', () => {
    expect(pagePlan(parseQuery('王伟')).tsquery).toBe("('王伟')");
    expect(pagePlan(parseQuery('王伟')).verify).toBeUndefined();
    expect(pagePlan(parseQuery('王伟明')).tsquery).toBe("('王伟明')");
    const long = pagePlan(parseQuery('主任副主任'));
    expect(long.tsquery).toBe("(('主任副' & '任副主' & '副主任'))");
    expect(long.verify).toBeDefined();
    // A NOT of a long run is checked on the text only; of a short one, in the index.
    // The pages lacking one of its triples first, unchecked; those with all of them second, checked.
    const not = pagePlan(parseQuery('王伟 -主任副主任'));
    expect(not.tsquery).toBe("('王伟') & !('主任副' & '任副主' & '副主任')");
    expect(not.orElse).toBe("('王伟') & (('主任副' & '任副主' & '副主任'))");
    expect(pagePlan(parseQuery('王伟 -李娜')).tsquery).toBe("('王伟') & !'李娜'");
    // Words and characters mixed keep the positional chain.
    expect(pagePlan(parseQuery('"1988年7月"')).tsquery).toBe("(('1988' <1> '年' <1> '7' <1> '月'))");
  });

  it('reads operators and quotes as plain text between words, and quotes every lexeme', () => {
    expect(tsqueryText(parseQuery("a'b & !c"))).toBe("(('a' <1> 'b')) & ('c')");
  });
});
