import type { FormInstance } from 'antd';
import { App } from 'antd';
import { useCallback } from 'react';
import { ApiError, errorText } from '../api/client';

type NamePath = string | number | (string | number)[];

/**
 * Puts the API's field reasons on the form fields. A server path (`scope.unitIds`) is looked up in
 * `map` whole, then by its first segment; otherwise it names the form field itself.
 */
export function applyFieldErrors(form: FormInstance, error: unknown, map: Record<string, NamePath> = {}): void {
  if (!(error instanceof ApiError)) return;
  const entries = Object.entries(error.fields);
  if (entries.length === 0) return;
  form.setFields(
    entries.map(([path, reason]) => {
      const head = path.split('.')[0] ?? path;
      const name = map[path] ?? map[head] ?? (path.includes('.') ? path.split('.') : path);
      return { name, errors: [reason] };
    }),
  );
}

/** Errors the session machinery already deals with (back to login), which need no second message. */
function handledElsewhere(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.code === 'LOGIN_INCOMPLETE');
}

/** Shows an API failure: field reasons on the form, the message in a toast. */
export function useErrorHandler() {
  const { message } = App.useApp();
  return useCallback(
    (error: unknown, form?: FormInstance, map?: Record<string, NamePath>) => {
      if (handledElsewhere(error)) return;
      if (form) applyFieldErrors(form, error, map);
      void message.error(errorText(error));
    },
    [message],
  );
}
