import { Modal, Typography } from 'antd';
import type { ReactNode } from 'react';
import { DefectCanvas } from './DefectCanvas';
import { pageImageUrl } from './model';
import './project.css';

export interface PageToShow {
  pageId: string;
  title: string;
  version?: number;
  extra?: ReactNode;
}

/** One page image, large, to zoom and pan: opened from a check finding or a defect. */
export function PageLightbox({ page, onClose }: { page: PageToShow | null; onClose: () => void }) {
  return (
    <Modal open={!!page} onCancel={onClose} footer={null} width={960} title={page?.title} destroyOnHidden centered>
      {page && (
        <div data-testid="page-lightbox">
          {page.extra && <Typography.Paragraph>{page.extra}</Typography.Paragraph>}
          <div style={{ height: '70vh', display: 'flex', background: '#3a3d42', borderRadius: 6, overflow: 'hidden' }}>
            <DefectCanvas src={pageImageUrl(page.pageId, page.version ?? 0, 'web')} alt={page.title} masterSize={null} boxes={[]} testId="lightbox-stage" />
          </div>
        </div>
      )}
    </Modal>
  );
}
