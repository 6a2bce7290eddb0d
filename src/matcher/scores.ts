/** What a score means: the match threshold and the false-match rates from the embedder's calibration. */
import { falseMatchRate } from '../core/calibration.js';
import { MatcherError } from '../core/errors.js';
import type { Calibration } from '../core/platform.js';
import type { Candidate } from './types.js';

export class Scores {
  constructor(
    private readonly calibrations: readonly Calibration[],
    /** The user's threshold, when given; otherwise the embedder's LFW threshold at FMR 1e-3. */
    private readonly fixedThreshold: number | undefined,
    private readonly embedderId: string,
  ) {}

  /** Score at and above which two faces are called the same person. */
  get threshold(): number {
    if (this.fixedThreshold !== undefined) return this.fixedThreshold;
    const lfw = this.calibration('lfw');
    if (!lfw) {
      throw new MatcherError('INVALID_OPTIONS', `embedder ${this.embedderId} has no shipped calibration; pass options.threshold`, { field: 'threshold' });
    }
    return lfw.thresholdAtFar1e3;
  }

  private calibration(set: string): Calibration | undefined {
    return this.calibrations.find((c) => c.set === set);
  }

  /** Estimated false-match rates of a score, on adult pairs and on child-vs-adult pairs. */
  falseMatchRates(score: number): Candidate['falseMatchRate'] {
    const adult = this.calibration('lfw');
    const child = this.calibration('lag-dev');
    return {
      ...(adult ? { adult: falseMatchRate(adult, score) } : {}),
      ...(child ? { childAdult: falseMatchRate(child, score) } : {}),
    };
  }
}
