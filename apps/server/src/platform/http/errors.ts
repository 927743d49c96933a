import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';

const CONTEXT_LABELS: Record<string, string> = { body: '请求内容', querystring: '查询参数', params: '路径参数', headers: '请求头' };

/** Every error leaves as `{code, message, fields?}` in Chinese; never a stack trace. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.status).send({ code: error.code, message: error.message, fields: error.fields });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields: Record<string, string> = {};
      for (const v of error.validation) {
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(整体)';
        fields[path] ??= v.message ?? '不符合要求';
      }
      const where = CONTEXT_LABELS[error.validationContext ?? 'body'] ?? '请求';
      const list = Object.entries(fields).map(([k, m]) => `${k}：${m}`).join('；');
      return reply.status(400).send({ code: 'VALIDATION_FAILED', message: `${where}不符合要求：${list}`, fields });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return reply.status(500).send({ code: 'INTERNAL', message: '服务器内部错误，已记录，请联系系统管理员' });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.status(413).send({ code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大' });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send({ code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型，请以 JSON 提交' });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.status(400).send({ code: 'EMPTY_BODY', message: '请求内容为空' });
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.status(400).send({ code: 'INVALID_JSON', message: '请求内容不是有效的 JSON' });
      default:
        break;
    }
    if (error.statusCode === 429) {
      return reply.status(429).send({ code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      if (error instanceof SyntaxError) {
        return reply.status(400).send({ code: 'INVALID_JSON', message: '请求内容不是有效的 JSON' });
      }
      return reply.status(error.statusCode).send({ code: 'BAD_REQUEST', message: '请求无效' });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL', message: '服务器内部错误，已记录，请联系系统管理员' });
  });
}
