/** A request's work, started when its turn comes; it calls `done` exactly once when it has finished. */
export type Job = (done: () => void) => void;

export interface FairSchedulerLimits {
  /** Jobs running at once over all sources; 0 is no cap. */
  readonly maxInFlight: number;
  /** Jobs of one source running at once; 0 is no cap. */
  readonly maxInFlightPerSource: number;
  /** Jobs of one source that may wait for a turn; one more is refused. */
  readonly maxQueuedPerSource: number;
}

export interface FairSchedulerOptions {
  /**
   * How waiting jobs are started after a job finishes: on a later turn of the event loop by default
   * (setImmediate). A job can finish without waiting for any I/O (a request refused by flow control);
   * started at once, the next would run in the same turn, and a whole queue with it, before the event
   * loop reads any other client's request.
   */
  readonly defer?: (run: () => void) => void;
}

interface Source {
  readonly key: string;
  running: number;
  readonly waiting: Job[];
}

const capOf = (n: number) => (n > 0 ? n : Infinity);

/**
 * Who runs next when requests compete: each source (a client address) may run a few jobs at once and
 * queue a bounded number more; when the process is at its overall cap, the sources with waiting jobs
 * take turns, one job each, in the order they became ready (round-robin). A source that floods the port
 * fills only its own queue, and past that is refused at the cost of a map lookup, so the work of the
 * other sources is started as soon as theirs would be without the flood
 * (architecture.md, "Limits on the port").
 */
export class FairScheduler {
  readonly #maxInFlight: number;
  readonly #perSource: number;
  readonly #maxQueued: number;
  readonly #sources = new Map<string, Source>();
  /** Sources with a waiting job and a free slot of their own, in turn order (a Set keeps insertion order). */
  readonly #ready = new Set<Source>();
  #running = 0;
  readonly #defer: (run: () => void) => void;
  #pumpScheduled = false;

  constructor(limits: FairSchedulerLimits, options: FairSchedulerOptions = {}) {
    this.#defer = options.defer ?? ((run) => void setImmediate(run));
    this.#maxInFlight = capOf(limits.maxInFlight);
    this.#perSource = capOf(limits.maxInFlightPerSource);
    this.#maxQueued = Math.max(0, limits.maxQueuedPerSource);
  }

  /** Jobs running now, over all sources. */
  get running(): number {
    return this.#running;
  }

  /** Jobs waiting for a turn, over all sources. */
  get waiting(): number {
    let n = 0;
    for (const source of this.#sources.values()) n += source.waiting.length;
    return n;
  }

  /**
   * Runs `job` now if its source and the process have a free slot, or queues it; false when the source's
   * queue is full (the job is then never run).
   */
  submit(key: string, job: Job): boolean {
    let source = this.#sources.get(key);
    if (source === undefined) {
      source = { key, running: 0, waiting: [] };
      this.#sources.set(key, source);
    }
    if (
      source.waiting.length === 0 &&
      source.running < this.#perSource &&
      this.#running < this.#maxInFlight
    ) {
      this.#start(source, job);
      return true;
    }
    if (source.waiting.length >= this.#maxQueued) {
      this.#forgetIfIdle(source);
      return false;
    }
    source.waiting.push(job);
    if (source.running < this.#perSource) this.#ready.add(source);
    this.#pump();
    return true;
  }

  #start(source: Source, job: Job): void {
    source.running++;
    this.#running++;
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      source.running--;
      this.#running--;
      if (source.waiting.length > 0) this.#ready.add(source);
      else this.#forgetIfIdle(source);
      this.#schedulePump();
    };
    try {
      job(done);
    } catch {
      done(); // a job that throws as it starts has finished
    }
  }

  #schedulePump(): void {
    if (this.#pumpScheduled || this.#ready.size === 0) return;
    this.#pumpScheduled = true;
    this.#defer(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  /** Starts waiting jobs while there are free slots, one per ready source in turn. */
  #pump(): void {
    while (this.#running < this.#maxInFlight && this.#ready.size > 0) {
      const source = this.#ready.values().next().value!;
      this.#ready.delete(source);
      const job = source.waiting.shift()!;
      if (source.waiting.length > 0 && source.running + 1 < this.#perSource) this.#ready.add(source);
      this.#start(source, job);
    }
  }

  #forgetIfIdle(source: Source): void {
    if (source.running === 0 && source.waiting.length === 0) this.#sources.delete(source.key);
  }
}
