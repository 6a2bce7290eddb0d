/** The call guard: every public call runs under the configured timeout and fails cleanly once disposed. */
import { MatcherError } from '../core/errors.js';

/** Throws when the call that received it has answered TIMEOUT or its matcher was disposed. */
export type StillWanted = () => void;

export class CallGuard {
  private isDisposed = false;

  /** `timeoutMs` 0 = no timeout. */
  constructor(private readonly timeoutMs: number) {}

  get disposed(): boolean {
    return this.isDisposed;
  }

  /** Marks the matcher disposed; returns false when it already was. */
  close(): boolean {
    if (this.isDisposed) return false;
    this.isDisposed = true;
    return true;
  }

  check(): void {
    if (this.isDisposed) throw new MatcherError('DISPOSED', 'this Matcher was disposed');
  }

  /**
   * Runs `fn` under the timeout. Work already inside the runtime cannot be interrupted; `fn`
   * calls `stillWanted()` before committing anything, so a call that has answered TIMEOUT (or
   * whose matcher was disposed) never changes the gallery afterwards.
   */
  async run<T>(what: string, fn: (stillWanted: StillWanted) => Promise<T>): Promise<T> {
    this.check();
    const ms = this.timeoutMs;
    let expired = false;
    const stillWanted = () => {
      if (expired) throw new MatcherError('TIMEOUT', `${what} timed out; its result was dropped`);
      this.check();
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      if (!ms) return;
      timer = setTimeout(() => {
        expired = true;
        reject(new MatcherError('TIMEOUT', `${what} took longer than ${ms} ms (option limits.timeoutMs)`));
      }, ms);
    });
    const work = fn(stillWanted);
    // The losing side of the race must not surface as an unhandled rejection.
    work.catch(() => undefined);
    try {
      return await Promise.race([work, timeout]);
    } catch (e) {
      // Sessions released under a running call fail inside the runtime: say why.
      if (this.isDisposed && !(e instanceof MatcherError && e.code === 'TIMEOUT')) {
        throw new MatcherError('DISPOSED', `this Matcher was disposed during ${what}`, { cause: e });
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }
}
