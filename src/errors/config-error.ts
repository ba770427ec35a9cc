/** A configuration value (environment, flags, key file) that cannot be used; the message names it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
