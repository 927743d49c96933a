export * from './permissions.js';
export * from './roles.js';
export * from './password-policy.js';
export * from './units.js';
