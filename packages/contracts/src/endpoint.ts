import type { z } from 'zod';
import type { Permission } from '@dangan/domain';

/**
 * Who may call an endpoint:
 * - `public`: anyone, no session;
 * - `session`: any signed-in session, even one that must still change its password or pass TOTP;
 * - `user`: a fully signed-in user, whatever his permissions;
 * - one permission from the catalogue, or any one of a list of them.
 */
export type Access = 'public' | 'session' | 'user' | Permission | readonly Permission[];

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Absent for endpoints that answer with a file. */
  response?: R;
  /** The file types an endpoint that answers with a file may send. */
  produces?: string[];
  /** For endpoints that take a file as the raw request body: its accepted types and size limit. */
  consumes?: { types: string[]; maxBytes: number };
}

export function endpoint<
  P extends z.ZodType = z.ZodNever,
  Q extends z.ZodType = z.ZodNever,
  B extends z.ZodType = z.ZodNever,
  R extends z.ZodType = z.ZodNever,
>(e: Endpoint<P, Q, B, R>): Endpoint<P, Q, B, R> {
  return e;
}

export type ParamsOf<E> = E extends Endpoint<infer P, z.ZodType, z.ZodType, z.ZodType> ? z.input<P> : never;
export type QueryOf<E> = E extends Endpoint<z.ZodType, infer Q, z.ZodType, z.ZodType> ? z.input<Q> : never;
export type BodyOf<E> = E extends Endpoint<z.ZodType, z.ZodType, infer B, z.ZodType> ? z.input<B> : never;
export type ResponseOf<E> = E extends Endpoint<z.ZodType, z.ZodType, z.ZodType, infer R> ? z.output<R> : never;
