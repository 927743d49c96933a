import { CompressOutlined, ZoomInOutlined, ZoomOutOutlined } from '@ant-design/icons';
import { Button, Space, Spin, Tooltip, Typography } from 'antd';
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { boxStyle } from './model';

export type MasterBox = [number, number, number, number];

export interface ShownBox {
  key: string;
  box: MasterBox;
  label: string;
  fixed?: boolean;
  selected?: boolean;
}

/** Smallest box worth keeping, in screen pixels: a click is not a box. */
const MIN_DRAG = 6;

/**
 * A page image fitted to its frame (zoomable) with defect boxes over it. Boxes are in master pixels,
 * drawn as percentages so they follow the image at any size. With `onDraw`, dragging the mouse over
 * the image draws a new box, handed back in master pixels.
 */
export function DefectCanvas({
  src, alt, masterSize, boxes, draft, onDraw, testId,
}: {
  src: string;
  alt: string;
  /** The master's size; null = the shown image's own size. */
  masterSize: { width: number; height: number } | null;
  boxes: ShownBox[];
  draft?: MasterBox | null;
  onDraw?: (box: MasterBox) => void;
  testId?: string;
}) {
  const frame = useRef<HTMLDivElement>(null);
  const sheet = useRef<HTMLDivElement>(null);
  const [natural, setNatural] = useState<{ src: string; width: number; height: number } | null>(null);
  const [room, setRoom] = useState({ width: 0, height: 0 });
  const [zoom, setZoom] = useState(1);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);

  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setRoom({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const loaded = natural?.src === src ? natural : null;
  const master = masterSize ?? (loaded ? { width: loaded.width, height: loaded.height } : null);
  const fit = loaded && room.width > 0 ? Math.min(room.width / loaded.width, room.height / loaded.height) : 0;
  const shownW = loaded ? Math.max(1, Math.round(loaded.width * fit * zoom)) : undefined;
  const shownH = loaded ? Math.max(1, Math.round(loaded.height * fit * zoom)) : undefined;

  /** Screen point → position inside the shown image, 0..1 each way. */
  const relative = (e: ReactPointerEvent) => {
    const r = sheet.current!.getBoundingClientRect();
    return { x: Math.max(0, Math.min(1, (e.clientX - r.left) / r.width)), y: Math.max(0, Math.min(1, (e.clientY - r.top) / r.height)) };
  };

  const down = (e: ReactPointerEvent) => {
    if (!onDraw || !loaded || e.button !== 0) return;
    e.preventDefault();
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    const p = relative(e);
    setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
  };
  const move = (e: ReactPointerEvent) => {
    if (!drag) return;
    const p = relative(e);
    setDrag({ ...drag, x1: p.x, y1: p.y });
  };
  const up = () => {
    if (!drag || !master || !shownW || !shownH) return setDrag(null);
    const left = Math.min(drag.x0, drag.x1);
    const top = Math.min(drag.y0, drag.y1);
    const w = Math.abs(drag.x1 - drag.x0);
    const h = Math.abs(drag.y1 - drag.y0);
    setDrag(null);
    if (w * shownW < MIN_DRAG || h * shownH < MIN_DRAG) return;
    const x = Math.round(left * master.width);
    const y = Math.round(top * master.height);
    onDraw?.([x, y, Math.max(1, Math.min(master.width - x, Math.round(w * master.width))), Math.max(1, Math.min(master.height - y, Math.round(h * master.height)))]);
  };

  const dragBox: MasterBox | null =
    drag && master
      ? [
          Math.min(drag.x0, drag.x1) * master.width, Math.min(drag.y0, drag.y1) * master.height,
          Math.abs(drag.x1 - drag.x0) * master.width, Math.abs(drag.y1 - drag.y0) * master.height,
        ]
      : null;

  return (
    <div style={{ position: 'relative', flex: 1, minHeight: 0, display: 'flex' }} data-testid={testId}>
      <div className="inspect-canvas" ref={frame}>
        {!loaded && (
          <div style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
            <Spin />
          </div>
        )}
        <div
          ref={sheet}
          className={`inspect-page${onDraw ? ' inspect-page-drawing' : ''}`}
          style={{ visibility: loaded ? 'visible' : 'hidden', width: shownW, height: shownH, flex: 'none' }}
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerCancel={() => setDrag(null)}
          data-testid="defect-sheet"
        >
          <img
            src={src}
            alt={alt}
            draggable={false}
            style={{ width: '100%', height: '100%' }}
            onLoad={(e) => setNatural({ src, width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
            data-testid="defect-image"
          />
          {master &&
            boxes.map((b) => (
              <div
                key={b.key}
                className={`inspect-box${b.fixed ? ' inspect-box-fixed' : ''}`}
                style={{ ...boxStyle(b.box, master.width, master.height), borderWidth: b.selected ? 3 : 2 }}
                data-testid="defect-box"
              >
                <span className="inspect-box-label">{b.label}</span>
              </div>
            ))}
          {master && (dragBox ?? draft) && (
            <div className="inspect-box inspect-box-draft" style={boxStyle((dragBox ?? draft)!, master.width, master.height)} data-testid="draft-box" />
          )}
        </div>
      </div>
      <Space size={2} style={{ position: 'absolute', right: 12, bottom: 12, background: 'rgba(255,255,255,0.92)', borderRadius: 6, padding: 4 }}>
        <Tooltip title="缩小">
          <Button size="small" icon={<ZoomOutOutlined />} aria-label="缩小" onClick={() => setZoom((z) => Math.max(0.5, z / 1.25))} />
        </Tooltip>
        <Typography.Text style={{ width: 44, textAlign: 'center', display: 'inline-block', fontSize: 12 }}>{`${Math.round(zoom * 100)}%`}</Typography.Text>
        <Tooltip title="放大">
          <Button size="small" icon={<ZoomInOutlined />} aria-label="放大" onClick={() => setZoom((z) => Math.min(6, z * 1.25))} />
        </Tooltip>
        <Tooltip title="适合窗口">
          <Button size="small" icon={<CompressOutlined />} onClick={() => setZoom(1)}>
            适合
          </Button>
        </Tooltip>
      </Space>
    </div>
  );
}
