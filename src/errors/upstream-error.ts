/** A Graph API error object (whatsapp-upstream.md §1.10), from Meta or the simulator. */
export class UpstreamError extends Error {
  readonly code: number;
  readonly subcode: number | undefined;
  readonly httpStatus: number;
  /** Meta `error_user_title`, e.g. "Cannot Create Certificate". */
  readonly userTitle: string | undefined;
  /** Meta `error_user_msg`: what the user can do about it. */
  readonly userMessage: string | undefined;
  readonly transient: boolean;

  constructor(init: {
    message: string;
    code: number;
    subcode?: number;
    httpStatus: number;
    userTitle?: string;
    userMessage?: string;
    transient?: boolean;
  }) {
    super(init.message);
    this.name = 'UpstreamError';
    this.code = init.code;
    this.subcode = init.subcode;
    this.httpStatus = init.httpStatus;
    this.userTitle = init.userTitle;
    this.userMessage = init.userMessage;
    this.transient = init.transient ?? false;
  }
}
