import { api, type SearchHit } from '@dangan/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Flex, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { call, errorText, urlOf } from '../../api/client';
import { useSession } from '../../session/SessionProvider';
import { boxStyle, classText, highlight } from './model';

/**
 * A page hit: the page image with the matching lines outlined and the hit words boxed over it. The boxes
 * are in master pixels; as percentages of the master size they follow the shown image at any width.
 */
export function PageHitViewer({ hit, onClose }: { hit: SearchHit | null; onClose: () => void }) {
  const { can } = useSession();
  const pageId = hit?.page?.id ?? '';
  const mayView = can('scan.ingest', 'scan.link');
  const detail = useQuery({
    queryKey: ['search', 'page', pageId],
    queryFn: () => call(api.pages.get, { params: { id: pageId } }),
    enabled: !!pageId && mayView,
  });
  const [natural, setNatural] = useState<{ id: string; w: number; h: number } | null>(null);

  const page = detail.data;
  // The master's size; without an analysis the web image is taken as the master itself.
  const masterW = page?.analysis?.width ?? (natural?.id === pageId ? natural.w : 0);
  const masterH = page?.analysis?.height ?? (natural?.id === pageId ? natural.h : 0);
  const ready = masterW > 0 && masterH > 0 && natural?.id === pageId;

  return (
    <Drawer
      open={!!hit}
      onClose={onClose}
      size={880}
      title={hit ? `页面命中：${hit.cadre.name}${hit.page?.pageNo != null ? ` · 第 ${hit.page.pageNo} 页` : ''}` : ''}
      destroyOnHidden
      extra={
        hit?.dossier && mayView ? (
          <Link to={`/dossiers/${hit.dossier.id}/scan`} data-testid="viewer-scan-link">
            <Button type="primary">打开扫描与挂接</Button>
          </Link>
        ) : null
      }
    >
      {hit && (
        <div data-testid="page-viewer">
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label="干部">{hit.cadre.name}</Descriptions.Item>
            <Descriptions.Item label="档案号">{hit.dossier?.dossierNo ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="材料">{hit.material ? `${hit.material.name}（${classText(hit.material.classCode)}）` : '未挂接到材料'}</Descriptions.Item>
            <Descriptions.Item label="页码">{hit.page?.pageNo ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="命中文字" span={2}>
              <span className="search-hit-snippet">{highlight(hit.snippet.text, hit.snippet.highlights)}</span>
            </Descriptions.Item>
          </Descriptions>
          {!mayView ? (
            <Alert type="info" showIcon title="您没有查看页面图像的权限（需要扫描或挂接权限），只能看到命中的文字。" />
          ) : detail.error ? (
            <Alert type="error" showIcon title={errorText(detail.error)} />
          ) : !page ? (
            <Flex justify="center" style={{ padding: 48 }}>
              <Spin />
            </Flex>
          ) : (
            <>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                橙色框为命中的文字，虚线框为其所在的行（共 {hit.boxes.length} 处）。
              </Typography.Paragraph>
              <div className="search-page-frame" data-testid="page-frame">
                <img
                  src={urlOf(api.pages.image, { params: { id: page.id }, query: { variant: 'web', v: page.version } })}
                  alt={`第 ${hit.page?.pageNo ?? ''} 页图像`}
                  data-testid="page-image"
                  onLoad={(e) => setNatural({ id: page.id, w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
                />
                {ready &&
                  hit.boxes.map((b, i) => (
                    <div key={`line-${b.line}-${i}`}>
                      <div className="search-line-box" data-testid="line-box" style={boxStyle(b.box, masterW, masterH)} />
                      <div className="search-hit-box" data-testid="hit-box" title="命中位置" style={boxStyle(b.hitBox, masterW, masterH)} />
                    </div>
                  ))}
              </div>
            </>
          )}
        </div>
      )}
    </Drawer>
  );
}
