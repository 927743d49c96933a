import { pinyin } from 'pinyin-pro';

/**
 * Upper-case pinyin initials of a person's name, for searching cadres by 拼音首字母: 王伟 → WW,
 * 欧阳娜娜 → OYNN. The surname is read with its surname reading (单 shan, 曾 zeng, 解 xie, 区 ou,
 * 尉迟 yuchi …), the given name with ordinary readings: pinyin-pro's surname mode applied to the head
 * of the name only, so that 李解放 stays L-J-F. Latin words count by their first letter (minority
 * and foreign names are sometimes written so); separators (·, spaces) and characters without a
 * reading are skipped.
 */
export function pinyinInitials(name: string): string {
  const text = name.normalize('NFKC').trim();
  if (text === '') return '';
  const items = pinyin(text, { mode: 'surname', surname: 'head', toneType: 'none', type: 'all' });
  let out = '';
  let inLatinWord = false;
  for (const item of items) {
    if (item.isZh && item.first !== '') {
      out += item.first;
      inLatinWord = false;
    } else if (/^[a-z]$/i.test(item.origin)) {
      if (!inLatinWord) out += item.origin;
      inLatinWord = true;
    } else {
      inLatinWord = false;
    }
  }
  return out.toUpperCase();
}
