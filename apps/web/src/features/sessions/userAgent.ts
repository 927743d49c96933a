/** A short Chinese description of a browser's user-agent string; the raw string stays in a tooltip. */
export function describeUserAgent(ua: string): string {
  if (!ua) return '未知';
  const browser =
    match(ua, /Edg\/(\d+)/, '微软 Edge 浏览器') ??
    match(ua, /(?:QQBrowser)\/(\d+)/, 'QQ 浏览器') ??
    match(ua, /(?:360SE|QIHU 360)/, '360 浏览器') ??
    match(ua, /Firefox\/(\d+)/, '火狐浏览器') ??
    match(ua, /(?:Chrome|Chromium)\/(\d+)/, '谷歌浏览器') ??
    match(ua, /Version\/(\d+).*Safari/, '苹果 Safari 浏览器') ??
    (/curl|node|undici/i.test(ua) ? '程序客户端' : '其他浏览器');
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /UOS|Kylin|Deepin/i.test(ua)
            ? '国产操作系统'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  return os ? `${browser}（${os}）` : browser;
}

function match(ua: string, re: RegExp, name: string): string | null {
  const m = re.exec(ua);
  if (!m) return null;
  return m[1] ? `${name} ${m[1]}` : name;
}
