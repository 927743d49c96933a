import { ExclamationCircleFilled, LoadingOutlined, MoreOutlined } from '@ant-design/icons';
import { PAGE_STATUS_LABELS, type ScanPage } from '@dangan/contracts';
import { Button, Dropdown, Tag, Tooltip, type MenuProps } from 'antd';
import { memo, type CSSProperties, type HTMLAttributes, type Ref } from 'react';
import { imageUrl, qualityFlags } from './model';

export interface ThumbProps {
  page: ScanPage;
  /** 第 n 页 inside a material; the file's name in the tray. */
  caption: string;
  menu?: MenuProps['items'];
  onMenu?: (key: string) => void;
  onOpen?: () => void;
  dragging?: boolean;
  overlay?: boolean;
  style?: CSSProperties;
  handleRef?: Ref<HTMLDivElement>;
  handleProps?: HTMLAttributes<HTMLDivElement>;
}

/** One page on the linking board: its thumbnail, its state and what the analysis found. */
export const PageThumb = memo(function PageThumb({ page, caption, menu, onMenu, onOpen, dragging, overlay, style, handleRef, handleProps }: ThumbProps) {
  const flags = qualityFlags(page.analysis);
  const busy = page.status === 'pending' || page.status === 'processing';
  const failed = page.status === 'failed';
  const problem = flags.some((f) => f.color === 'error' || f.color === 'warning');
  return (
    <div
      ref={handleRef}
      className={`scan-thumb${dragging ? ' scan-thumb-dragging' : ''}${overlay ? ' scan-thumb-overlay' : ''}${failed ? ' scan-thumb-failed' : ''}`}
      style={style}
      data-testid="page-thumb"
      data-page-id={page.id}
      data-status={page.status}
      data-version={page.version}
      {...handleProps}
    >
      <div
        className="scan-thumb-image"
        onClick={onOpen}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && onOpen) {
            e.stopPropagation();
            onOpen();
          }
        }}
        title="单击或按回车查看与修正"
      >
        {page.status === 'processed' ? (
          <img src={imageUrl(page, 'thumb')} alt={caption} draggable={false} loading="lazy" />
        ) : (
          <div className="scan-thumb-placeholder">
            {busy ? <LoadingOutlined /> : <ExclamationCircleFilled style={{ color: '#cf1322' }} />}
            <span>{PAGE_STATUS_LABELS[page.status]}</span>
          </div>
        )}
        {busy && page.version > 0 && <span className="scan-thumb-badge">处理中</span>}
        {problem && !busy && <ExclamationCircleFilled className="scan-thumb-alert" />}
      </div>
      <div className="scan-thumb-caption">
        <span className="scan-thumb-title" title={caption}>
          {caption}
        </span>
        {menu && onMenu && (
          // The menu opens in a portal, but its events bubble through here: they must not start a drag or open the page.
          <span onPointerDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()} onClick={(e) => e.stopPropagation()}>
          <Dropdown menu={{ items: menu, onClick: ({ key, domEvent }) => (domEvent.stopPropagation(), onMenu(key)) }} trigger={['click']}>
            <Button
              type="text"
              size="small"
              icon={<MoreOutlined />}
              aria-label="页面操作"
              className="scan-thumb-more"
            />
          </Dropdown>
          </span>
        )}
      </div>
      {(failed || flags.length > 0) && (
        <div className="scan-thumb-flags">
          {failed && (
            <Tooltip title={page.errorMessage ?? '处理失败'}>
              <Tag color="error" data-testid="page-flag">
                处理失败
              </Tag>
            </Tooltip>
          )}
          {flags.map((f) => (
            <Tooltip key={f.key} title={f.tip}>
              <Tag color={f.color} data-testid="page-flag">
                {f.label}
              </Tag>
            </Tooltip>
          ))}
        </div>
      )}
    </div>
  );
});
