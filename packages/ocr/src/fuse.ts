/**
 * A load-time rewrite of the PP-OCRv4 graphs (ONNX, as paddle2onnx exported them) that onnxruntime's
 * own optimiser does not do. Its PPLCNetV3 backbone follows every convolution by a
 * learnable affine (×s, +b), a hard-swish spelled as four element-wise ops (+3, clip 0..6, ×x, ÷6)
 * and another affine: eight passes over the activations for each convolution, about two thirds of
 * the model's time on a CPU. The rewrite is exact algebra (up to float rounding):
 *
 * - Conv → Mul(s) → Add(b) becomes one Conv (weights × s, bias × s + b);
 * - Add(3) → Clip(0, 6) → Mul(x, ·) → Div(6) becomes Mul(x, HardSigmoid(x; 1/6, 0.5));
 * - Mul(s) → Add(b) → a 1×1 convolution folds into that convolution (weights × s, bias + b·Σw); in
 *   front of a padded convolution only the scale folds (zero padding stays zero), the Add stays.
 *
 * Anything that does not match the pattern exactly is left as it was. The protobuf handling is the
 * minimum for this: fields we do not touch are copied byte for byte.
 */

interface Field {
  no: number;
  wire: number;
  /** The whole field, tag included. */
  start: number;
  end: number;
  /** Payload of a length-delimited field. */
  vs: number;
  ve: number;
  /** Value of a varint field (exact up to 2^53). */
  n: number;
}

function readVarint(b: Uint8Array, p: number): [number, number] {
  let r = 0;
  let m = 1;
  for (;;) {
    const x = b[p++];
    if (x === undefined) throw new Error('ONNX: truncated varint');
    r += (x & 127) * m;
    m *= 128;
    if (x < 128) return [r, p];
  }
}

function fields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  let p = 0;
  while (p < b.length) {
    const start = p;
    let tag: number;
    [tag, p] = readVarint(b, p);
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    let vs = p;
    let ve = p;
    let n = 0;
    if (wire === 0) [n, p] = readVarint(b, p);
    else if (wire === 1) p += 8;
    else if (wire === 5) p += 4;
    else if (wire === 2) {
      let len: number;
      [len, p] = readVarint(b, p);
      vs = p;
      p += len;
      ve = p;
    } else throw new Error(`ONNX: unsupported wire type ${wire}`);
    if (wire !== 2) ve = p;
    out.push({ no, wire, start, end: p, vs, ve, n });
  }
  return out;
}

const utf8 = new TextDecoder();
const enc = new TextEncoder();

function varint(v: number): number[] {
  const out: number[] = [];
  while (v >= 128) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

class Writer {
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  raw(b: Uint8Array): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
  tag(no: number, wire: number): this {
    return this.raw(Uint8Array.from(varint(no * 8 + wire)));
  }
  bytes(no: number, b: Uint8Array): this {
    return this.tag(no, 2).raw(Uint8Array.from(varint(b.length))).raw(b);
  }
  string(no: number, s: string): this {
    return this.bytes(no, enc.encode(s));
  }
  uint(no: number, v: number): this {
    return this.tag(no, 0).raw(Uint8Array.from(varint(v)));
  }
  float(no: number, v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.tag(no, 5).raw(b);
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

interface Node {
  inputs: string[];
  outputs: string[];
  opType: string;
  name: string;
  /** Attribute fields (whole, tag included) and any other fields, copied as they were. */
  rest: Uint8Array[];
}

interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

function parseNode(b: Uint8Array): Node {
  const node: Node = { inputs: [], outputs: [], opType: '', name: '', rest: [] };
  for (const f of fields(b)) {
    const s = () => utf8.decode(b.subarray(f.vs, f.ve));
    if (f.no === 1) node.inputs.push(s());
    else if (f.no === 2) node.outputs.push(s());
    else if (f.no === 3) node.name = s();
    else if (f.no === 4) node.opType = s();
    else node.rest.push(b.subarray(f.start, f.end));
  }
  return node;
}

function encodeNode(n: Node): Uint8Array {
  const w = new Writer();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const r of n.rest) w.raw(r);
  return w.finish();
}

/** A node's attributes: name → (ints | float | tensor payload). */
function attributes(n: Node): Map<string, { ints: number[]; f?: number; t?: Uint8Array }> {
  const out = new Map<string, { ints: number[]; f?: number; t?: Uint8Array }>();
  for (const r of n.rest) {
    const [top] = fields(r);
    if (!top || top.no !== 5) continue;
    const a = r.subarray(top.vs, top.ve);
    let name = '';
    const v: { ints: number[]; f?: number; t?: Uint8Array } = { ints: [] };
    for (const f of fields(a)) {
      if (f.no === 1) name = utf8.decode(a.subarray(f.vs, f.ve));
      else if (f.no === 2) v.f = new DataView(a.buffer, a.byteOffset + f.vs, 4).getFloat32(0, true);
      else if (f.no === 3) v.ints.push(f.n);
      else if (f.no === 5) v.t = a.subarray(f.vs, f.ve);
      else if (f.no === 8 && f.wire === 0) v.ints.push(f.n);
      else if (f.no === 8 && f.wire === 2) {
        for (let p = f.vs; p < f.ve; ) {
          let x: number;
          [x, p] = readVarint(a, p);
          v.ints.push(x);
        }
      }
    }
    out.set(name, v);
  }
  return out;
}

/** A float32 TensorProto's dims and values (raw_data or float_data); undefined for other types. */
function floatTensor(t: Uint8Array): FloatTensor | undefined {
  const dims: number[] = [];
  let type = 0;
  let data: Float32Array | undefined;
  for (const f of fields(t)) {
    if (f.no === 1 && f.wire === 0) dims.push(f.n);
    else if (f.no === 1 && f.wire === 2) {
      for (let p = f.vs; p < f.ve; ) {
        let x: number;
        [x, p] = readVarint(t, p);
        dims.push(x);
      }
    } else if (f.no === 2) type = f.n;
    else if (f.no === 9 || (f.no === 4 && f.wire === 2)) data = new Float32Array(t.slice(f.vs, f.ve).buffer);
    else if (f.no === 4 && f.wire === 5) data = Float32Array.of(...(data ?? []), new DataView(t.buffer, t.byteOffset + f.vs, 4).getFloat32(0, true));
  }
  if (type !== 1 || !data) return undefined;
  return { dims, data };
}

function encodeTensor(name: string, t: FloatTensor): Uint8Array {
  const w = new Writer();
  for (const d of t.dims) w.uint(1, d);
  w.uint(2, 1);
  w.string(8, name);
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return w.finish();
}

function floatAttr(name: string, v: number): Uint8Array {
  return new Writer().bytes(5, new Writer().string(1, name).float(2, v).uint(20, 1).finish()).finish();
}

export interface FuseStats {
  convAffine: number;
  hardSwish: number;
  affineIntoConv: number;
  scaleIntoConv: number;
}

/** Rewrites the model (see the module comment); returns the new bytes and what was rewritten. */
export function fusePaddleModel(model: Uint8Array): { bytes: Uint8Array; stats: FuseStats } {
  const stats: FuseStats = { convAffine: 0, hardSwish: 0, affineIntoConv: 0, scaleIntoConv: 0 };
  const mf = fields(model);
  const gf = mf.find((f) => f.no === 7);
  if (!gf) throw new Error('ONNX: no graph');
  const g = model.subarray(gf.vs, gf.ve);
  const gfs = fields(g);
  const nodes: (Node | undefined)[] = gfs.filter((f) => f.no === 1).map((f) => parseNode(g.subarray(f.vs, f.ve)));

  // Float constants (Constant nodes and initializers) by output name.
  const consts = new Map<string, FloatTensor>();
  for (const f of gfs) if (f.no === 5) {
    const t = g.subarray(f.vs, f.ve);
    const nameF = fields(t).find((x) => x.no === 8);
    const ft = floatTensor(t);
    if (nameF && ft) consts.set(utf8.decode(t.subarray(nameF.vs, nameF.ve)), ft);
  }
  for (const n of nodes) {
    if (n?.opType !== 'Constant') continue;
    const t = attributes(n).get('value')?.t;
    const ft = t && floatTensor(t);
    if (ft && n.outputs[0]) consts.set(n.outputs[0], ft);
  }
  const graphOutputs = new Set<string>();
  for (const f of gfs) if (f.no === 12) {
    const v = g.subarray(f.vs, f.ve);
    const nf = fields(v).find((x) => x.no === 1);
    if (nf) graphOutputs.add(utf8.decode(v.subarray(nf.vs, nf.ve)));
  }
  const consumers = new Map<string, number[]>();
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const inp of n!.inputs) consumers.set(inp, [...(consumers.get(inp) ?? []), i]);
    for (const o of n!.outputs) producer.set(o, i);
  });
  const only = (name: string): Node | undefined => {
    const c = consumers.get(name);
    if (graphOutputs.has(name) || !c || c.length !== 1) return undefined;
    return nodes[c[0]!];
  };
  const scalar = (name: string | undefined): number | undefined => {
    const t = name === undefined ? undefined : consts.get(name);
    return t && t.data.length === 1 ? t.data[0] : undefined;
  };
  /** For a binary node with one scalar-constant input: [the other input, the scalar]. */
  const withScalar = (n: Node | undefined, op: string): [string, number] | undefined => {
    if (n?.opType !== op || n.inputs.length !== 2) return undefined;
    const a = scalar(n.inputs[0]);
    const b = scalar(n.inputs[1]);
    if (b !== undefined && a === undefined) return [n.inputs[0]!, b];
    if (a !== undefined && b === undefined) return [n.inputs[1]!, a];
    return undefined;
  };
  const initializers = new Map<string, FloatTensor>();
  const addConst = (t: FloatTensor): string => {
    const name = `fused.${initializers.size}`;
    consts.set(name, t);
    initializers.set(name, t);
    return name;
  };
  const remove = (n: Node) => {
    nodes[nodes.indexOf(n)] = undefined;
  };
  /** Conv weights and bias (a zero bias if it has none), copied. */
  const convParams = (conv: Node): { w: FloatTensor; b: Float32Array } | undefined => {
    const w = consts.get(conv.inputs[1] ?? '');
    if (!w || w.dims.length !== 4) return undefined;
    const b = conv.inputs[2] ? consts.get(conv.inputs[2]) : { dims: [w.dims[0]!], data: new Float32Array(w.dims[0]!) };
    if (!b || b.data.length !== w.dims[0]) return undefined;
    return { w: { dims: w.dims, data: Float32Array.from(w.data) }, b: Float32Array.from(b.data) };
  };

  for (const conv of [...nodes]) {
    if (conv?.opType !== 'Conv' || conv.outputs.length !== 1) continue;
    // 1. Conv → ×s → +b.
    const mul = only(conv.outputs[0]!);
    const ms = withScalar(mul, 'Mul');
    const add = ms && only(mul!.outputs[0]!);
    const as = add && withScalar(add, 'Add');
    const params = convParams(conv);
    if (!ms || !as || !params || ms[0] !== conv.outputs[0] || as[0] !== mul!.outputs[0]) continue;
    const [, s] = ms;
    const [, bias] = as;
    for (let i = 0; i < params.w.data.length; i++) params.w.data[i]! *= s;
    for (let i = 0; i < params.b.length; i++) params.b[i] = params.b[i]! * s + bias;
    conv.inputs = [conv.inputs[0]!, addConst(params.w), addConst({ dims: [params.b.length], data: params.b })];
    conv.outputs = [add!.outputs[0]!];
    remove(mul!);
    remove(add!);
    stats.convAffine++;
  }

  // Recompute consumers after the first pass.
  const rebuild = () => {
    consumers.clear();
    producer.clear();
    nodes.forEach((n, i) => {
      if (!n) return;
      for (const inp of n.inputs) consumers.set(inp, [...(consumers.get(inp) ?? []), i]);
      for (const o of n.outputs) producer.set(o, i);
    });
  };
  rebuild();

  // 2. Hard-swish: x → +3 → clip(0, 6) → × x → ÷ 6.
  for (const add3 of [...nodes]) {
    const a = withScalar(add3, 'Add');
    if (!a || a[1] !== 3) continue;
    const x = a[0];
    const clip = only(add3!.outputs[0]!);
    if (clip?.opType !== 'Clip' || clip.inputs[0] !== add3!.outputs[0]) continue;
    // Bounds as attributes (opset < 11) or as constant inputs (opset ≥ 11).
    const ca = attributes(clip);
    const lo = clip.inputs.length === 1 ? ca.get('min')?.f : scalar(clip.inputs[1]);
    const hi = clip.inputs.length === 1 ? ca.get('max')?.f : scalar(clip.inputs[2]);
    if (lo !== 0 || hi !== 6) continue;
    const mul = only(clip.outputs[0]!);
    if (mul?.opType !== 'Mul' || !mul.inputs.includes(x) || !mul.inputs.includes(clip.outputs[0]!)) continue;
    const div = withScalar(only(mul.outputs[0]!), 'Div');
    const divNode = only(mul.outputs[0]!)!;
    if (!div || div[1] !== 6 || divNode.inputs[0] !== mul.outputs[0]) continue;
    add3!.opType = 'HardSigmoid';
    add3!.inputs = [x];
    add3!.rest = [floatAttr('alpha', 1 / 6), floatAttr('beta', 0.5)];
    mul.inputs = [x, add3!.outputs[0]!];
    mul.outputs = [divNode.outputs[0]!];
    remove(clip);
    remove(divNode);
    stats.hardSwish++;
  }
  rebuild();

  // 3. ×s → +b in front of a convolution.
  for (const mul of [...nodes]) {
    const ms = withScalar(mul, 'Mul');
    if (!ms) continue;
    const add = only(mul!.outputs[0]!);
    const as = withScalar(add, 'Add');
    if (!as || as[0] !== mul!.outputs[0]) continue;
    const conv = only(add!.outputs[0]!);
    if (conv?.opType !== 'Conv' || conv.inputs[0] !== add!.outputs[0]) continue;
    const params = convParams(conv);
    if (!params) continue;
    const ca = attributes(conv);
    const [s, b] = [ms[1], as[1]];
    const [outC, inC, kh, kw] = params.w.dims as [number, number, number, number];
    const group = ca.get('group')?.ints[0] ?? 1;
    const pads = ca.get('pads')?.ints ?? [];
    const k = kh * kw * inC;
    if (s === 0) continue;
    if (kh === 1 && kw === 1 && group === 1 && pads.every((p) => p === 0) && !ca.has('auto_pad')) {
      // y = W(s·x + b) + B = (sW)x + (B + b·ΣW).
      for (let o = 0; o < outC; o++) {
        let sum = 0;
        for (let i = 0; i < k; i++) sum += params.w.data[o * k + i]!;
        params.b[o] = params.b[o]! + b * sum;
      }
      for (let i = 0; i < params.w.data.length; i++) params.w.data[i]! *= s;
      conv.inputs = [ms[0], addConst(params.w), addConst({ dims: [outC], data: params.b })];
      remove(mul!);
      remove(add!);
      stats.affineIntoConv++;
    } else {
      // Only the scale: W(s·x + b) = (sW)(x + b/s), zero padding included; the Add stays, as + b/s.
      for (let i = 0; i < params.w.data.length; i++) params.w.data[i]! *= s;
      add!.inputs = [ms[0], addConst({ dims: [1], data: Float32Array.of(b / s) })];
      conv.inputs = [conv.inputs[0]!, addConst(params.w), ...conv.inputs.slice(2)];
      remove(mul!);
      stats.scaleIntoConv++;
    }
  }
  rebuild();

  // Constants nobody reads any more.
  for (const n of nodes) if (n?.opType === 'Constant' && n.outputs.every((o) => !consumers.has(o) && !graphOutputs.has(o))) remove(n);

  const gw = new Writer();
  for (const n of nodes) if (n) gw.bytes(1, encodeNode(n));
  for (const f of gfs) if (f.no !== 1) gw.raw(g.subarray(f.start, f.end));
  for (const [name, t] of initializers) if (consumers.has(name)) gw.bytes(5, encodeTensor(name, t));
  const mw = new Writer();
  for (const f of mf) {
    if (f.no === 7) mw.bytes(7, gw.finish());
    else mw.raw(model.subarray(f.start, f.end));
  }
  return { bytes: mw.finish(), stats };
}
