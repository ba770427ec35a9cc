/**
 * The upstream budget of a CAMS request ran out before Meta answered. Named like fetch's timeout, so
 * every part that treats a timeout as an unknown outcome (a create may have happened) does so here too.
 */
export class UpstreamDeadlineExceeded extends Error {
  constructor(what: string, budgetMs: number) {
    super(`${what} did not finish within the request's upstream budget of ${budgetMs} ms`);
    this.name = 'TimeoutError';
  }
}
