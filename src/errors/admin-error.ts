/**
 * A refusal of an administrative operation (CLI, operator API), with a message that says what to fix.
 * Not a wire error: the CLI prints it, the operator API answers it as 400 InvalidParameter.
 */
export class AdminError extends Error {
  override readonly name = 'AdminError';
}
