import { CompressOutlined, ExpandOutlined, ZoomInOutlined, ZoomOutOutlined } from '@ant-design/icons';
import { Button, Space, Spin, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';

export type Box = [number, number, number, number];

type Handle = 'move' | 'n' | 's' | 'e' | 'w' | 'ne' | 'nw' | 'se' | 'sw';
const HANDLES: Handle[] = ['n', 's', 'e', 'w', 'ne', 'nw', 'se', 'sw'];
const MIN_SCALE = 0.02;
const MAX_SCALE = 8;
const MIN_CROP = 16;

interface View {
  scale: number;
  x: number;
  y: number;
}

/**
 * An image to look at closely: wheel to zoom about the pointer, drag to pan, fit and 100 % buttons.
 * With `crop`, a box over the image (in the image's own pixels) is moved and resized by its handles.
 * `previewRotation` turns the image in place to show a change before it is saved.
 */
export function ImageStage({
  src, alt, previewRotation = 0, crop, onCropChange, onSize, testId,
}: {
  src: string;
  alt: string;
  previewRotation?: number;
  crop?: Box | null;
  onCropChange?: (box: Box) => void;
  onSize?: (size: { width: number; height: number }) => void;
  testId?: string;
}) {
  const frame = useRef<HTMLDivElement>(null);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const [view, setView] = useState<View>({ scale: 1, x: 0, y: 0 });
  const [failed, setFailed] = useState(false);
  const drag = useRef<{ kind: 'pan' | Handle; startX: number; startY: number; view: View; box?: Box } | null>(null);

  const fitTo = useCallback(
    (size: { width: number; height: number } | null) => {
      const el = frame.current;
      if (!el || !size) return;
      const r = el.getBoundingClientRect();
      const turned = Math.abs(previewRotation % 180) === 90;
      const w = turned ? size.height : size.width;
      const h = turned ? size.width : size.height;
      const scale = Math.max(MIN_SCALE, Math.min((r.width - 24) / w, (r.height - 24) / h, MAX_SCALE));
      setView({ scale, x: (r.width - size.width * scale) / 2, y: (r.height - size.height * scale) / 2 });
    },
    [previewRotation],
  );
  const fit = () => fitTo(natural);

  const actual = () => {
    const el = frame.current;
    if (!el || !natural) return;
    const r = el.getBoundingClientRect();
    setView({ scale: 1, x: (r.width - natural.width) / 2, y: Math.min(12, (r.height - natural.height) / 2) });
  };

  const zoomAt = useCallback((factor: number, cx?: number, cy?: number) => {
    const el = frame.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    const px = cx ?? r.width / 2;
    const py = cy ?? r.height / 2;
    setView((v) => {
      const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, v.scale * factor));
      const k = scale / v.scale;
      return { scale, x: px - (px - v.x) * k, y: py - (py - v.y) * k };
    });
  }, []);

  // The wheel zooms the image, not the page: the listener must be able to prevent the scroll.
  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  const down = (e: ReactPointerEvent) => {
    if (e.button !== 0) return;
    const kind = ((e.target as HTMLElement).dataset.handle as Handle | undefined) ?? 'pan';
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    drag.current = { kind, startX: e.clientX, startY: e.clientY, view, box: crop ?? undefined };
  };
  const move = (e: ReactPointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.startX;
    const dy = e.clientY - d.startY;
    if (d.kind === 'pan') {
      setView({ ...d.view, x: d.view.x + dx, y: d.view.y + dy });
      return;
    }
    if (!d.box || !natural || !onCropChange) return;
    const ix = dx / d.view.scale;
    const iy = dy / d.view.scale;
    const [x0, y0, width, height] = d.box;
    let left = x0;
    let top = y0;
    let right = left + width;
    let bottom = top + height;
    if (d.kind === 'move') {
      const nx = Math.max(0, Math.min(natural.width - width, left + ix));
      const ny = Math.max(0, Math.min(natural.height - height, top + iy));
      onCropChange([Math.round(nx), Math.round(ny), width, height]);
      return;
    }
    if (d.kind.includes('w')) left = Math.max(0, Math.min(right - MIN_CROP, left + ix));
    if (d.kind.includes('e')) right = Math.min(natural.width, Math.max(left + MIN_CROP, right + ix));
    if (d.kind.includes('n')) top = Math.max(0, Math.min(bottom - MIN_CROP, top + iy));
    if (d.kind.includes('s')) bottom = Math.min(natural.height, Math.max(top + MIN_CROP, bottom + iy));
    onCropChange([Math.round(left), Math.round(top), Math.round(right - left), Math.round(bottom - top)]);
  };
  const up = () => {
    drag.current = null;
  };

  const handleSize = 10 / view.scale;
  return (
    <div className="scan-stage" data-testid={testId}>
      <div
        ref={frame}
        className="scan-stage-frame"
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        onDoubleClick={fit}
      >
        {!natural && !failed && (
          <div className="scan-stage-loading">
            <Spin />
          </div>
        )}
        {failed && (
          <div className="scan-stage-loading">
            <Typography.Text type="secondary">图像加载失败</Typography.Text>
          </div>
        )}
        <div
          className="scan-stage-canvas"
          style={{
            width: natural?.width,
            height: natural?.height,
            transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})`,
            visibility: natural ? 'visible' : 'hidden',
          }}
        >
          <img
            src={src}
            alt={alt}
            draggable={false}
            style={{ transform: previewRotation ? `rotate(${previewRotation}deg)` : undefined }}
            onLoad={(e) => {
              const img = e.currentTarget;
              const size = { width: img.naturalWidth, height: img.naturalHeight };
              setNatural(size);
              fitTo(size);
              onSize?.(size);
            }}
            onError={() => setFailed(true)}
          />
          {crop && natural && onCropChange && (
            <div
              className="scan-crop"
              data-testid="crop-box"
              style={{ left: crop[0], top: crop[1], width: crop[2], height: crop[3], outlineWidth: 2 / view.scale }}
              data-handle="move"
            >
              {HANDLES.map((h) => (
                <span
                  key={h}
                  className={`scan-crop-handle scan-crop-${h}`}
                  style={{ width: handleSize, height: handleSize, margin: -handleSize / 2 }}
                  data-handle={h}
                />
              ))}
            </div>
          )}
        </div>
      </div>
      <Space className="scan-stage-tools" size={2}>
        <Tooltip title="缩小">
          <Button size="small" icon={<ZoomOutOutlined />} onClick={() => zoomAt(1 / 1.25)} aria-label="缩小" />
        </Tooltip>
        <Typography.Text style={{ width: 48, textAlign: 'center', display: 'inline-block', fontSize: 12 }}>{Math.round(view.scale * 100)}%</Typography.Text>
        <Tooltip title="放大">
          <Button size="small" icon={<ZoomInOutlined />} onClick={() => zoomAt(1.25)} aria-label="放大" />
        </Tooltip>
        <Tooltip title="适合窗口（双击图像）">
          <Button size="small" icon={<CompressOutlined />} onClick={fit}>
            适合
          </Button>
        </Tooltip>
        <Tooltip title="按实际像素显示">
          <Button size="small" icon={<ExpandOutlined />} onClick={actual}>
            100%
          </Button>
        </Tooltip>
      </Space>
    </div>
  );
}
