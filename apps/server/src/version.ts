import { readFileSync } from 'node:fs';

declare const __DANGAN_VERSION__: string | undefined;

/** Set by the build; read from package.json when running from source. */
export const VERSION: string =
  typeof __DANGAN_VERSION__ !== 'undefined'
    ? __DANGAN_VERSION__
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
