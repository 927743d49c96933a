import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Noto Serif SC (思源宋体, SIL Open Font License 1.1) from the npm package
 * `@expo-google-fonts/noto-serif-sc`, which ships Google's static TrueType files: it installs with
 * the project, so printing needs no system font and no network. A serif face is what printed
 * catalogues use. The files are large (about 15 MB each), so they are read once and kept.
 */
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf',
} as const;

export type CatalogueFontWeight = keyof typeof FONT_FILES;

const require = createRequire(import.meta.url);
const cache = new Map<CatalogueFontWeight, Buffer>();

export function catalogueFont(weight: CatalogueFontWeight): Buffer {
  let data = cache.get(weight);
  if (!data) {
    data = readFileSync(require.resolve(FONT_FILES[weight]));
    cache.set(weight, data);
  }
  return data;
}
