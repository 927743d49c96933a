// `npm run bench -- imaging`: the page pipeline on synthetic 300-dpi A4 greyscale scans, through the
// worker pool (2 threads). Prints figures; asserts nothing.
import { loadavg } from 'node:os';
import sharp from 'sharp';
import { ImagingPool, type ProcessedPage } from '../../packages/imaging/src/index.js';
import { setJfifDensity } from '../../packages/imaging/src/process.js';
import { mulberry32, syntheticPage, type SyntheticPage } from '../../packages/imaging/src/testing/synthetic.js';

const PAGES = 24;
const OPTIONS = { minDpi: 300 };

export async function imagingBench(): Promise<void> {
  console.log('\n图像处理流水线（300 dpi A4 灰度，合成扫描页，2 个工作线程）');
  const rnd = mulberry32(20240601);
  const truths: Array<SyntheticPage['truth'] & { blank: boolean }> = [];
  const files: Buffer[] = [];
  const tg = performance.now();
  for (let i = 0; i < PAGES; i++) {
    const blank = i % 12 === 11;
    const skew = blank ? 0 : (i % 6 === 0 ? 0 : (0.5 + 7.5 * rnd()) * (rnd() < 0.5 ? -1 : 1));
    const rotation = i % 4 === 1 ? 180 : i % 8 === 2 ? 90 : i % 8 === 6 ? 270 : 0;
    const page = syntheticPage({
      dpi: 300, skewDeg: Math.round(skew * 100) / 100, rotation, borderMm: i % 2 === 0 ? 8 : 0,
      speckles: 300, content: blank ? 'blank' : 'text', seed: 1000 + i,
    });
    truths.push({ ...page.truth, blank });
    const { width, height } = page.image;
    // Greyscale JPEG q90, as scanners deliver 300-dpi archive pages.
    files.push(setJfifDensity(await sharp(page.image.pixels, { raw: { width, height, channels: 1 } }).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer(), 300));
  }
  console.log(`  生成 ${PAGES} 页（灰度 JPEG q90，2480×3508）：${((performance.now() - tg) / 1000).toFixed(1)} s`);

  // RSS is per process (the workers are threads): sample it while the pool works and attribute the rise
  // over the baseline before the pool started to the two workers (libvips memory included).
  const baseline = process.memoryUsage().rss;
  let peakRss = baseline;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  const pool = new ImagingPool({ threads: 2 });
  try {
    // Warm-up: start both threads and let each compile its hot paths (every worker has its own JIT).
    await Promise.all(files.slice(0, 8).map((bytes) => pool.process({ bytes, page: 0 }, OPTIONS)));
    await Promise.all(files.slice(0, 8).map((bytes) => pool.encodeOnly({ bytes, page: 0 }, OPTIONS)));

    // CPU time of this process (all threads: workers, libvips) per page: what the pages cost whatever
    // else the machine is doing; 2 / (CPU s per page) is the rate with both cores to ourselves.
    const cpu = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
    const c1 = process.cpuUsage();
    const t1 = performance.now();
    const results: ProcessedPage[] = await Promise.all(files.map((bytes) => pool.process({ bytes, page: 0 }, OPTIONS)));
    const fullS = (performance.now() - t1) / 1000;
    const fullCpu = cpu(process.cpuUsage(c1)) / PAGES;
    const c2 = process.cpuUsage();
    const t2 = performance.now();
    await Promise.all(files.map((bytes) => pool.encodeOnly({ bytes, page: 0 }, OPTIONS)));
    const bareS = (performance.now() - t2) / 1000;
    const bareCpu = cpu(process.cpuUsage(c2)) / PAGES;
    const fullRate = PAGES / fullS;
    const bareRate = PAGES / bareS;
    const load = loadavg()[0]!.toFixed(2);
    console.log(`  完整流水线（解码→定向→纠偏→裁边→去噪→测量→三种编码）：${fullRate.toFixed(2)} 页/秒；每页 CPU ${(fullCpu * 1000).toFixed(0)} ms（两核独占时约 ${(2 / fullCpu).toFixed(1)} 页/秒）`);
    console.log(`  仅解码+编码（下限）：${bareRate.toFixed(2)} 页/秒；每页 CPU ${(bareCpu * 1000).toFixed(0)} ms（两核独占时约 ${(2 / bareCpu).toFixed(1)} 页/秒）`);
    console.log(`  耗时比：实测 ${(bareRate / fullRate).toFixed(2)}×，按 CPU 时间 ${(fullCpu / bareCpu).toFixed(2)}×（本机 1 分钟负载 ${load}，其他进程也在用这两个核）`);

    const errs: number[] = [];
    let rotOk = 0;
    let rotN = 0;
    let blankOk = 0;
    for (let i = 0; i < PAGES; i++) {
      const a = results[i]!.analysis;
      const t = truths[i]!;
      if (t.blank) {
        if (a.blank) blankOk++;
        continue;
      }
      rotN++;
      if (a.rotation === t.rotation) rotOk++;
      errs.push(Math.abs(a.skewDeg - t.skewDeg));
    }
    const mean = errs.reduce((s, e) => s + e, 0) / errs.length;
    const steps = new Map<string, number>();
    for (const r of results) for (const s of r.analysis.steps) steps.set(s.name, (steps.get(s.name) ?? 0) + s.ms);
    console.log(`  纠偏残差：平均 ${mean.toFixed(3)}°，最大 ${Math.max(...errs).toFixed(3)}°（${errs.length} 页，真值 ±0.5–8° 及 0°）`);
    console.log(`  方向识别：${rotOk}/${rotN} 正确（含 90°/180°/270°）；空白页识别 ${blankOk}/${PAGES - rotN}`);
    console.log(`  各步平均耗时（单线程）：${[...steps].map(([k, v]) => `${k} ${(v / PAGES).toFixed(0)} ms`).join('，')}`);

    // Despeckle quality: straight pages, geometry fixed by manual ops, despeckle off vs on.
    let speckDark = 0;
    let speckGone = 0;
    let inkDark = 0;
    let inkGone = 0;
    let specks = 0;
    for (let i = 0; i < 4; i++) {
      const page = syntheticPage({ dpi: 300, speckles: 800, seed: 77 + i });
      specks += page.truth.speckleCount;
      const { width, height } = page.image;
      const ops = { rotation: 0 as const, skewDeg: 0, cropBox: null };
      const clone = () => ({ ...page.image, pixels: Buffer.from(page.image.pixels) });
      const [off, on] = await Promise.all([
        pool.process(clone(), { ...OPTIONS, masterQuality: 100, ops: { ...ops, despeckle: false } }),
        pool.process(clone(), { ...OPTIONS, masterQuality: 100, ops }),
      ]);
      const a = await sharp(off.master).toColourspace('b-w').raw().toBuffer();
      const b = await sharp(on.master).toColourspace('b-w').raw().toBuffer();
      for (let p = 0; p < width * height; p++) {
        if (page.truth.speckleMask[p] && a[p]! < 128) {
          speckDark++;
          if (b[p]! >= 128) speckGone++;
        }
        if (page.truth.inkMask[p] && a[p]! < 128) {
          inkDark++;
          if (b[p]! >= 128) inkGone++;
        }
      }
    }
    console.log(`  去噪：${specks} 个噪点，噪点像素去除 ${((100 * speckGone) / speckDark).toFixed(1)} %，文字像素损失 ${((100 * inkGone) / inkDark).toFixed(3)} %`);
    const mem = pool.workerMemory();
    console.log(
      `  内存：每个工作线程峰值（线程内测得，V8 堆+ArrayBuffer）${mem.map((m) => `${(m.peakIsolateBytes / 2 ** 20).toFixed(0)} MB`).join('、')}；` +
        `流水线运行期间进程 RSS 比启动前增加 ${((peakRss - baseline) / 2 ** 20).toFixed(0)} MB（约 ${((peakRss - baseline) / 2 / 2 ** 20).toFixed(0)} MB/线程，含 libvips）；` +
        `进程历史峰值 RSS ${(Math.max(...mem.map((m) => m.maxRssBytes)) / 2 ** 20).toFixed(0)} MB（含主线程生成测试页）`,
    );
  } finally {
    clearInterval(sampler);
    await pool.destroy();
  }
}
