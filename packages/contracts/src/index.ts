export * from './common.js';
export * from './endpoint.js';
export * from './settings.js';
export * from './api.js';
