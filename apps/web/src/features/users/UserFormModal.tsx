import { api, type User } from '@dangan/contracts';
import type { ScopeKind } from '@dangan/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Col, Form, Input, Modal, Row, Select } from 'antd';
import { useEffect } from 'react';
import { call } from '../../api/client';
import { GeneratedPasswordInput, UnitTreeSelect } from '../../shared/components';
import { useErrorHandler } from '../../shared/errors';
import { dictionaryOptions, keys, useDictionary, useRoles } from '../../shared/queries';
import { useLatched } from '../../shared/useLatched';
import { usePasswordPolicy } from '../../shared/usePasswordPolicy';
import { useMe, useSession } from '../../session/SessionProvider';
import { roleOptions, rolesViolation } from './roleOptions';
import { ScopeFields } from './scope';

interface Values {
  username: string;
  displayName: string;
  unitId: string;
  password: string;
  roleIds: string[];
  scopeKind: ScopeKind;
  scopeUnitIds: string[];
  clearance: string | null;
  idNumber: string;
  birthDate: string;
}

export type UserDialog = { mode: 'create' } | { mode: 'edit'; user: User };

const FIELD_MAP = { scope: 'scopeUnitIds', 'scope.kind': 'scopeKind', 'scope.unitIds': 'scopeUnitIds' };

export function UserFormModal({
  dialog,
  onClose,
  onCreated,
}: {
  dialog: UserDialog | null;
  onClose: () => void;
  onCreated: (user: User, password: string) => void;
}) {
  const [form] = Form.useForm<Values>();
  const me = useMe();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const handleError = useErrorHandler();
  const { message } = App.useApp();
  const policy = usePasswordPolicy();
  const canAssign = can('role.assign');
  const canClearance = can('secrecy.manage');
  const { data: roles } = useRoles(canAssign);
  const { data: clearances } = useDictionary('clearance');
  const shown = useLatched(dialog);
  const editing = shown?.mode === 'edit' ? shown.user : null;
  const username = Form.useWatch('username', form) ?? '';
  const roleIds = Form.useWatch('roleIds', form);

  useEffect(() => {
    if (!dialog) return;
    form.resetFields();
    form.setFieldsValue(
      dialog.mode === 'edit'
        ? {
            displayName: dialog.user.displayName,
            unitId: dialog.user.unitId,
            scopeKind: dialog.user.scope.kind,
            scopeUnitIds: dialog.user.scope.unitIds,
            clearance: dialog.user.clearance,
            idNumber: dialog.user.idNumber ?? '',
            birthDate: dialog.user.birthDate ?? '',
          }
        : {
            username: '', displayName: '', password: '', roleIds: [], scopeKind: 'own_unit', scopeUnitIds: [], clearance: null, unitId: me.user.unitId,
            idNumber: '', birthDate: '',
          },
    );
  }, [dialog, form, me.user.unitId]);

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const scope = { kind: v.scopeKind, unitIds: v.scopeKind === 'named_units' ? v.scopeUnitIds : [] };
      const identity = { idNumber: v.idNumber?.trim() || null, birthDate: v.birthDate?.trim() || null };
      if (editing) {
        const clearance = v.clearance ?? null;
        return call(api.users.update, {
          params: { id: editing.id },
          body: {
            displayName: v.displayName.trim(),
            unitId: v.unitId,
            scope,
            ...identity,
            // Only a holder of 涉密等级 authority may send it at all.
            ...(canClearance && clearance !== editing.clearance ? { clearance } : {}),
          },
        });
      }
      return call(api.users.create, {
        body: {
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          unitId: v.unitId,
          password: v.password,
          roleIds: canAssign ? (v.roleIds ?? []) : [],
          scope,
          clearance: v.clearance ?? null,
          ...identity,
        },
      });
    },
    onSuccess: async (user, v) => {
      await queryClient.invalidateQueries({ queryKey: keys.users });
      await queryClient.invalidateQueries({ queryKey: keys.roles });
      if (editing) {
        void message.success(`已保存「${user.displayName}」的信息`);
        onClose();
      } else {
        onCreated(user, v.password);
      }
    },
    onError: (error) => handleError(error, form, FIELD_MAP),
  });

  const violation = rolesViolation(roles, roleIds);
  return (
    <Modal
      open={!!dialog}
      title={editing ? `编辑用户：${editing.displayName}（${editing.username}）` : '新建用户'}
      okText="保存"
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      forceRender
      width={680}
    >
      <Form form={form} name="user" layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="user-form">
        <Row gutter={16}>
          {!editing && (
            <Col span={12}>
              <Form.Item
                label="用户名"
                name="username"
                rules={[
                  { required: true, whitespace: true, message: '请输入用户名' },
                  { pattern: /^\s*[a-zA-Z][a-zA-Z0-9._-]{2,31}\s*$/, message: '用户名须以字母开头，3–32 位字母、数字或 . _ -' },
                ]}
                extra="登录时使用，创建后不能修改"
              >
                <Input autoComplete="off" maxLength={32} />
              </Form.Item>
            </Col>
          )}
          <Col span={editing ? 24 : 12}>
            <Form.Item label="姓名" name="displayName" rules={[{ required: true, whitespace: true, message: '请输入姓名' }, { max: 40, message: '姓名不超过 40 个字' }]}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item label="所属单位" name="unitId" rules={[{ required: true, message: '请选择所属单位' }]}>
              <UnitTreeSelect allowClear={false} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label="涉密等级" name="clearance" extra={editing && !canClearance ? '您没有设置涉密等级的权限' : undefined}>
              <Select
                allowClear
                placeholder="请选择涉密等级"
                disabled={!!editing && !canClearance}
                options={dictionaryOptions(clearances, editing?.clearance)}
              />
            </Form.Item>
          </Col>
        </Row>
        {!editing && (
          <Form.Item
            label="初始密码"
            name="password"
            rules={[{ required: true, message: '请输入或生成初始密码' }]}
            extra={`至少 ${policy.minLength} 位，含大写字母、小写字母、数字、特殊字符中的至少 ${policy.minClasses} 类，不含用户名；首次登录须修改`}
          >
            <GeneratedPasswordInput username={username} policy={policy} />
          </Form.Item>
        )}
        {!editing && canAssign && (
          <Form.Item label="角色" name="roleIds" validateStatus={violation ? 'error' : undefined} help={violation ?? undefined}>
            <Select mode="multiple" allowClear placeholder="请选择角色" options={roleOptions(roles, me.permissions)} optionFilterProp="label" />
          </Form.Item>
        )}
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item label="本人公民身份号码" name="idNumber" extra="用于查阅回避（不得查阅本人及亲属档案），可不填">
              <Input maxLength={20} autoComplete="off" data-testid="user-id-number" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label="本人出生日期" name="birthDate" extra="如 1980-05-07；填写身份证号时可不填">
              <Input maxLength={20} autoComplete="off" data-testid="user-birth-date" />
            </Form.Item>
          </Col>
        </Row>
        <ScopeFields />
        {editing && <Alert type="info" showIcon title="角色请通过“设置角色”修改；密码与动态口令请通过对应的重置操作处理。" />}
      </Form>
    </Modal>
  );
}
