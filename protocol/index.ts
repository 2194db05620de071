export * from './errors.js';
export * from './participants.js';
export * from './signaling.js';
