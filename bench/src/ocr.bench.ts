// `npm run bench -- ocr`: OCR on synthetic 300-dpi cadre-file pages with ground truth. Each page is
// rendered (Noto Sans CJK SC), degraded like a scan (skew, paper tone, speckle, JPEG), run through the
// image step (processPage: deskew, crop), scaled to 150 dpi as the OCR job will see it, and recognised
// by a pool of OCR engines (one per core). Prints figures; asserts nothing.
import sharp from 'sharp';
import { processPage } from '../../packages/imaging/src/index.js';
import { mulberry32 } from '../../packages/imaging/src/testing/synthetic.js';
import { OcrPool, type OcrResult } from '../../packages/ocr/src/index.js';
import { renderPage, type TextLine } from '../../packages/ocr/src/testing/render.js';

const PAGES = 20;
// Longer side the detector sees (OCR_MAX_SIDE to try others; the engine's default is 1024).
const MAX_SIDE = Number(process.env.OCR_MAX_SIDE ?? 1024);
const W = 2480;
const H = 3508;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌波宁辉鹏飞海燕晓东林春梅雪峰亮';
const UNITS = ['国家计划委员会', '省人民政府办公厅', '市委组织部', '县财政局', '北京大学经济学系', '中国人民银行总行', '省交通厅公路局', '市教育局', '区人民法院', '省农业科学院'];
const POSTS = ['科员', '副科长', '科长', '副处长', '处长', '副局长', '局长', '主任科员', '调研员', '副主任'];
const PHRASES = [
  '该同志政治立场坚定，认真贯彻执行党的路线方针政策',
  '工作认真负责，作风踏实，团结同志，群众基础较好',
  '经组织考察，同意任命为',
  '参加中央党校中青年干部培训班学习',
  '大学本科学历，经济学学士学位',
  '中国共产党党员，无党派人士，共青团员',
  '年度考核结果为优秀，予以嘉奖一次',
  '籍贯：河北省保定市，出生地：北京市',
];

interface Truth {
  lines: string[];
  tokens: string[];
}

function idNumber(rnd: () => number, y: number, m: number, d: number): string {
  const base = `${110100 + Math.floor(rnd() * 900)}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(Math.floor(rnd() * 1000)).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...base].reduce((s, c, i) => s + Number(c) * w[i]!, 0);
  return base + '10X98765432'[sum % 11]!;
}

function pageContent(rnd: () => number): { lines: TextLine[]; truth: Truth } {
  const pick = <T>(a: readonly T[] | string): T => a[Math.floor(rnd() * a.length)] as T;
  const name = pick<string>(SURNAMES) + pick<string>(GIVEN) + (rnd() < 0.5 ? pick<string>(GIVEN) : '');
  const by = 1950 + Math.floor(rnd() * 30), bm = 1 + Math.floor(rnd() * 12), bd = 1 + Math.floor(rnd() * 28);
  const id = idNumber(rnd, by, bm, bd);
  const tokens = [name, `${by}年${bm}月`, id];
  const text: Array<{ t: string; size: number; x?: number }> = [
    { t: '干部履历表', size: 84, x: 1000 },
    { t: `姓名：${name}\u3000\u3000性别：${rnd() < 0.7 ? '男' : '女'}\u3000\u3000民族：汉族`, size: 50 },
    { t: `出生年月：${by}年${bm}月\u3000\u3000身份证号：${id}`, size: 50 },
    { t: '学习及工作经历', size: 58 },
  ];
  let y = by + 18 + Math.floor(rnd() * 5);
  let m = 1 + Math.floor(rnd() * 12);
  for (let k = 0; k < 14; k++) {
    const y2 = y + 1 + Math.floor(rnd() * 4), m2 = 1 + Math.floor(rnd() * 12);
    const from = `${y}年${m}月`, to = `${y2}年${m2}月`;
    tokens.push(from, to);
    text.push({ t: `${from}至${to}\u3000在${pick(UNITS)}任${pick(POSTS)}`, size: 46 });
    y = y2;
    m = m2;
  }
  text.push({ t: '鉴定意见', size: 58 });
  for (let k = 0; k < 6; k++) text.push({ t: pick(PHRASES), size: 46 });
  const lines: TextLine[] = [];
  let baseline = 300;
  for (const l of text) {
    baseline += Math.round(l.size * 2.05);
    lines.push({ text: l.t, x: l.x ?? 240, y: baseline, size: l.size });
  }
  return { lines, truth: { lines: text.map((l) => l.t.replace(/[\s\u3000]/g, '')), tokens } };
}

/** Greyscale scan look: skew, paper tone, speckles and sensor noise, JPEG q75. Returns raw grey. */
async function degrade(png: Buffer, rnd: () => number, skewDeg: number): Promise<{ pixels: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png)
    .greyscale()
    .rotate(skewDeg, { background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const tone = 225 + Math.floor(rnd() * 25);
  for (let i = 0; i < data.length; i++) {
    const ink = 255 - data[i]!;
    let v = tone - (ink * (tone - 25)) / 255 + (rnd() - 0.5) * 24;
    if (rnd() < 0.0004) v = 30 + rnd() * 60;
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).toColourspace('b-w').jpeg({ quality: 75 }).toBuffer();
  const dec = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { pixels: dec.data, width: dec.info.width, height: dec.info.height };
}

function levenshtein(a: string[], b: string[]): number {
  let prev = new Int32Array(b.length + 1).map((_, j) => j);
  let cur = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

function bagError(truth: string[], got: string[]): number {
  const counts = new Map<string, number>();
  for (const c of truth) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const c of got) counts.set(c, (counts.get(c) ?? 0) - 1);
  let diff = 0;
  for (const v of counts.values()) diff += Math.abs(v);
  return diff;
}

export async function ocrBench(): Promise<void> {
  console.log('\nOCR（PP-OCRv4 中文检测+识别，onnxruntime-node CPU；合成 300 dpi A4 履历页 → 图像处理 → 150 dpi → 识别）');
  const rnd = mulberry32(20250505);
  const truths: Truth[] = [];
  const inputs: Array<{ pixels: Buffer; width: number; height: number; channels: 1 }> = [];
  const tg = performance.now();
  for (let i = 0; i < PAGES; i++) {
    const { lines, truth } = pageContent(rnd);
    const page = await renderPage(W, H, lines);
    const skew = (0.3 + 2.5 * rnd()) * (rnd() < 0.5 ? -1 : 1);
    const scan = await degrade(page.png, rnd, skew);
    const processed = await processPage({ ...scan, channels: 1, dpi: 300 }, { minDpi: 300 });
    // The OCR job's input: the processed master at about 150 dpi.
    const { data, info } = await sharp(processed.master)
      .greyscale()
      .resize({ width: Math.round(processed.analysis.cropBox[2] / 2) })
      .raw()
      .toBuffer({ resolveWithObject: true });
    inputs.push({ pixels: data, width: info.width, height: info.height, channels: 1 });
    truths.push(truth);
  }
  console.log(`  生成并处理 ${PAGES} 页：${((performance.now() - tg) / 1000).toFixed(1)} s（150 dpi 输入约 ${inputs[0]!.width}×${inputs[0]!.height}）`);

  const baseline = process.memoryUsage().rss;
  let peakRss = baseline;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  const pool = new OcrPool({ threads: 2 });
  // Warm-up: both engines loaded before timing.
  const warm = await Promise.all([0, 1].map(() => pool.recognize({ ...inputs[0]!, pixels: Buffer.from(inputs[0]!.pixels) })));
  void warm;
  // CPU time of the whole process (both workers' threads included): on a shared machine the wall
  // time also counts other people's work, the CPU time does not.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const results: OcrResult[] = await Promise.all(inputs.map((img) => pool.recognize({ ...img, pixels: Buffer.from(img.pixels) }, { maxSide: MAX_SIDE })));
  const wall = performance.now() - t0;
  const cpuUsed = process.cpuUsage(cpu0);
  const cpuMs = (cpuUsed.user + cpuUsed.system) / 1000;
  clearInterval(sampler);
  const memory = pool.workerMemory();
  await pool.destroy();

  let tokens = 0, found = 0, edits = 0, chars = 0, bag = 0;
  const misses: string[] = [];
  results.forEach((r, i) => {
    const truth = truths[i]!;
    const got = r.lines.map((l) => l.text.replace(/[\s\u3000]/g, ''));
    const all = got.join('\n');
    for (const t of truth.tokens) {
      tokens++;
      if (all.includes(t)) found++;
      else if (misses.length < 8) misses.push(t);
    }
    const gt = [...truth.lines.join('')];
    const oc = [...got.join('')];
    edits += levenshtein(gt, oc);
    bag += bagError(gt, oc);
    chars += gt.length;
  });
  const stageTotals: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.timings)) stageTotals[k] = (stageTotals[k] ?? 0) + v;
  const perPage = results.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  console.log(`  词元召回（姓名、日期、身份证号原样出现）：${pct(found / tokens)}（${found}/${tokens}；目标 ≥ 98 %）${misses.length ? `  未找到：${misses.join('、')}` : ''}`);
  console.log(`  字符错误率 CER：${pct(edits / chars)}（${edits}/${chars}）`);
  console.log(`  字袋错误（Σ|真值字数−识别字数| / 真值字数）：${pct(bag / chars)}（目标 ≤ 1 %）`);
  console.log(`  检测输入长边 ${MAX_SIDE} px`);
  console.log(`  吞吐：${((PAGES / wall) * 60_000).toFixed(1)} 页/分钟（2 个工作线程，${PAGES} 页 ${(wall / 1000).toFixed(1)} s；目标 ≥ 60）`);
  console.log(`  CPU 时间：每页 ${(cpuMs / PAGES).toFixed(0)} ms（进程合计 ${(cpuMs / 1000).toFixed(1)} s）；两核全归本测量时折合 ${((PAGES / cpuMs) * 2 * 60_000).toFixed(1)} 页/分钟`);
  console.log(`  单页用时（单线程引擎）：中位 ${perPage[perPage.length >> 1]!.toFixed(0)} ms，最长 ${perPage[perPage.length - 1]!.toFixed(0)} ms；各阶段平均：` +
    Object.entries(stageTotals).map(([k, v]) => `${k} ${(v / results.length).toFixed(0)}`).join('，') + ' ms');
  const perWorker = (peakRss - baseline) / 2;
  console.log(`  内存：进程 RSS 峰值 ${(peakRss / 2 ** 20).toFixed(0)} MiB（池启动前 ${(baseline / 2 ** 20).toFixed(0)} MiB，每工作线程约 ${(perWorker / 2 ** 20).toFixed(0)} MiB；目标 ≤ 1.5 GB）；` +
    `线程内 V8 堆+ArrayBuffer 峰值 ${memory.map((m) => `${(m.peakIsolateBytes / 2 ** 20).toFixed(0)}`).join(' / ')} MiB`);
}
