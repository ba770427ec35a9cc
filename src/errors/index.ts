// The error families of the service, one leaf module that imports nothing from the project: the wire
// catalogue (every error a CAMS client can receive), the upstream provider's error (Meta's error object),
// and the refusals of administrative commands and configuration.
export * from './catalogue.js';
export { AdminError } from './admin-error.js';
export { ConfigError } from './config-error.js';
export { UpstreamError } from './upstream-error.js';
export { UpstreamDeadlineExceeded } from './upstream-deadline.js';
export { causedBy, unavailable } from './unavailable.js';
