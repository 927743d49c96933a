import { z } from 'zod';

// Validation messages reach users (as field reasons): in Chinese, on the server and in the browser alike.
z.config(z.locales.zhCN());

export * from './common.js';
export * from './endpoint.js';
export * from './settings.js';
export * from './api.js';
export * from './archive.js';
export * from './scan.js';
export * from './search.js';
export * from './project.js';
export * from './checks.js';
export * from './dashboard.js';
export * from './alerts.js';
export * from './reading.js';
export * from './lending.js';
export * from './stats.js';
export * from './use.js';
