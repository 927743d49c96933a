import {
  AuditOutlined, BookOutlined, ClusterOutlined, DesktopOutlined, HomeOutlined, SafetyCertificateOutlined,
  SettingOutlined, TeamOutlined,
} from '@ant-design/icons';
import type { Permission } from '@dangan/domain';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';

export interface PageDef {
  path: string;
  label: string;
  icon: ReactNode;
  /** Any one of these opens the page; empty means every signed-in user. */
  any: Permission[];
  component: LazyExoticComponent<ComponentType>;
}

export const PAGES: PageDef[] = [
  { path: '/', label: '工作台', icon: <HomeOutlined />, any: [], component: lazy(() => import('../features/home/HomePage')) },
  { path: '/units', label: '单位管理', icon: <ClusterOutlined />, any: ['unit.manage'], component: lazy(() => import('../features/units/UnitsPage')) },
  { path: '/users', label: '用户管理', icon: <TeamOutlined />, any: ['user.manage'], component: lazy(() => import('../features/users/UsersPage')) },
  {
    path: '/roles', label: '角色与权限', icon: <SafetyCertificateOutlined />, any: ['role.assign'],
    component: lazy(() => import('../features/roles/RolesPage')),
  },
  { path: '/sessions', label: '在线会话', icon: <DesktopOutlined />, any: ['session.manage'], component: lazy(() => import('../features/sessions/SessionsPage')) },
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
  return PAGES.filter((p) => p.any.length === 0 || can(...p.any));
}
