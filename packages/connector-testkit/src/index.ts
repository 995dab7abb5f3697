export { describeConformance } from './conformance.js';
export { defaultBadCredentials } from './credentials.js';
export { findSecretLeaks, MIN_SECRET_LENGTH, type SecretLeak } from './leaks.js';
export { captureLogs, type LogEntry } from './log-capture.js';
export type { ConformanceTarget } from './target.js';
