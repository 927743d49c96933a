import {
  AuditOutlined, BookOutlined, ClusterOutlined, DesktopOutlined, FolderOpenOutlined, HomeOutlined, SafetyCertificateOutlined,
  SettingOutlined, TeamOutlined,
} from '@ant-design/icons';
import { BarChartOutlined, BellOutlined, ContainerOutlined, FileDoneOutlined, ImportOutlined, SearchOutlined } from '@ant-design/icons';
import { AlertOutlined } from '@ant-design/icons';
import { CheckSquareOutlined, FileSearchOutlined } from '@ant-design/icons';
import { PieChartOutlined, SolutionOutlined } from '@ant-design/icons';
import { HistoryOutlined, ReadOutlined } from '@ant-design/icons';
import { KeyOutlined } from '@ant-design/icons';
import type { Permission } from '@dangan/domain';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';

export interface PageDef {
  path: string;
  label: string;
  icon: ReactNode;
  /** Any one of these opens the page; empty means every signed-in user. */
  any: Permission[];
  component: LazyExoticComponent<ComponentType>;
  /** Reached through links from other pages, not listed in the menu. */
  hidden?: boolean;
}

/** Who has digitization tasks (rework, approvals, hand-overs, inspections); the officers have none. */
export const TASK_HOLDERS: Permission[] = ['batch.manage', 'batch.approve', 'scan.ingest', 'scan.link', 'qc.inspect', 'use.manage'];

export const PAGES: PageDef[] = [
  { path: '/', label: '工作台', icon: <HomeOutlined />, any: [], component: lazy(() => import('../features/home/HomePage')) },
  {
    path: '/cadres', label: '干部档案', icon: <FolderOpenOutlined />, any: ['cadre.read'],
    component: lazy(() => import('../features/cadres/CadresPage')),
  },
  {
    path: '/cadres/:id', label: '干部详情', icon: null, any: ['cadre.read'], hidden: true,
    component: lazy(() => import('../features/cadres/CadreDetailPage')),
  },
  {
    path: '/dossiers/:id/catalogue', label: '档案目录', icon: null, any: ['dossier.read'], hidden: true,
    component: lazy(() => import('../features/catalogue/CataloguePage')),
  },
  {
    path: '/dossiers/:id/completeness', label: '材料完整性', icon: null, any: ['dossier.read'], hidden: true,
    component: lazy(() => import('../features/completeness/CompletenessPage')),
  },
  {
    path: '/dossiers/:id/scan', label: '扫描与挂接', icon: null, any: ['scan.ingest', 'scan.link'], hidden: true,
    component: lazy(() => import('../features/scan/ScanPage')),
  },
  {
    path: '/search', label: '全文检索', icon: <SearchOutlined />, any: ['dossier.read'],
    component: lazy(() => import('../features/search/SearchPage')),
  },
  {
    path: '/use/requests', label: '查阅申请', icon: <FileSearchOutlined />, any: ['access.request'],
    component: lazy(() => import('../features/use/RequestsPage')),
  },
  {
    path: '/reading', label: '我的查阅', icon: <ReadOutlined />, any: ['access.read'],
    component: lazy(() => import('../features/reading/ReadingGrantsPage')),
  },
  {
    path: '/reading/:requestId/:dossierId', label: '在线查阅', icon: null, any: ['access.read'], hidden: true,
    component: lazy(() => import('../features/reading/ReaderPage')),
  },
  {
    path: '/use/approvals', label: '查阅审批', icon: <CheckSquareOutlined />, any: ['access.approve'],
    component: lazy(() => import('../features/use/ApprovalsPage')),
  },
  {
    path: '/tasks', label: '我的待办', icon: <BellOutlined />, any: TASK_HOLDERS,
    component: lazy(() => import('../features/dashboard/TasksPage')),
  },
  {
    path: '/batches', label: '数字化加工', icon: <ContainerOutlined />, any: ['batch.manage', 'batch.approve', 'scan.ingest', 'scan.link', 'qc.inspect'],
    component: lazy(() => import('../features/project/BatchesPage')),
  },
  {
    path: '/batches/:id', label: '加工批次', icon: null, any: ['batch.manage', 'batch.approve', 'scan.ingest', 'scan.link', 'qc.inspect'], hidden: true,
    component: lazy(() => import('../features/project/BatchDetailPage')),
  },
  {
    path: '/inspections/:id', label: '质量检查', icon: null, any: ['qc.inspect', 'batch.manage'], hidden: true,
    component: lazy(() => import('../features/project/InspectionPage')),
  },
  {
    path: '/rework/:id', label: '整改', icon: null, any: ['scan.ingest', 'scan.link', 'qc.inspect', 'batch.manage', 'batch.approve'], hidden: true,
    component: lazy(() => import('../features/project/ReworkPage')),
  },
  {
    path: '/dashboard', label: '加工进度看板', icon: <BarChartOutlined />, any: ['batch.manage', 'batch.approve', 'qc.inspect', 'stats.read'],
    component: lazy(() => import('../features/dashboard/DashboardPage')),
  },
  {
    path: '/stats', label: '统计分析', icon: <PieChartOutlined />, any: ['stats.read'],
    component: lazy(() => import('../features/stats/StatsPage')),
  },
  {
    path: '/use/lending', label: '借阅管理', icon: <SolutionOutlined />, any: ['use.manage'],
    component: lazy(() => import('../features/use/LendingPage')),
  },
  {
    path: '/use/reading-log', label: '查阅记录', icon: <HistoryOutlined />, any: ['use.manage'],
    component: lazy(() => import('../features/reading/ReadingLogPage')),
  },
  {
    path: '/use/my-lendings', label: '我的借阅', icon: <SolutionOutlined />, any: ['access.request'],
    component: lazy(() => import('../features/use/LendingMinePage')),
  },
  {
    path: '/catalogue-import', label: '目录导入', icon: <ImportOutlined />, any: ['catalogue.import'],
    component: lazy(() => import('../features/import/ImportPage')),
  },
  {
    path: '/completeness-rules', label: '完整性规则', icon: <FileDoneOutlined />, any: ['dossier.read'],
    component: lazy(() => import('../features/completeness/RulesPage')),
  },
  { path: '/units', label: '单位管理', icon: <ClusterOutlined />, any: ['unit.manage'], component: lazy(() => import('../features/units/UnitsPage')) },
  { path: '/users', label: '用户管理', icon: <TeamOutlined />, any: ['user.manage'], component: lazy(() => import('../features/users/UsersPage')) },
  {
    path: '/roles', label: '角色与权限', icon: <SafetyCertificateOutlined />, any: ['role.assign'],
    component: lazy(() => import('../features/roles/RolesPage')),
  },
  { path: '/sessions', label: '在线会话', icon: <DesktopOutlined />, any: ['session.manage'], component: lazy(() => import('../features/sessions/SessionsPage')) },
  { path: '/alerts', label: '安全预警', icon: <AlertOutlined />, any: ['alert.manage'], component: lazy(() => import('../features/alerts/AlertsPage')) },
  {
    path: '/use/grants', label: '查阅授权', icon: <KeyOutlined />, any: ['grant.manage'],
    component: lazy(() => import('../features/use/GrantsPage')),
  },
  {
    path: '/dictionary', label: '数据字典', icon: <BookOutlined />, any: ['system.dictionary', 'security.dictionary'],
    component: lazy(() => import('../features/dictionary/DictionaryPage')),
  },
  {
    path: '/settings', label: '系统设置', icon: <SettingOutlined />, any: ['system.settings', 'security.settings'],
    component: lazy(() => import('../features/settings/SettingsPage')),
  },
  { path: '/audit', label: '审计日志', icon: <AuditOutlined />, any: ['audit.read'], component: lazy(() => import('../features/audit/AuditPage')) },
];

export function allowedPages(can: (...any: Permission[]) => boolean): PageDef[] {
  return PAGES.filter((p) => !p.hidden && (p.any.length === 0 || can(...p.any)));
}
