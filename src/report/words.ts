/** Scores, rates and quality flags in the words a reviewer reads. */

const ISSUE_WORDS: Record<string, string> = {
  small: 'small face',
  blurred: 'blurred',
  turned: 'turned away',
  'no-face-detected': 'no face detected: whole photo used',
};

export function issueWords(issues: readonly string[]): string[] {
  return issues.map((i) => ISSUE_WORDS[i] ?? i);
}

/**
 * 2.3e-4 -> "about 1 in 4,300", rounded to two significant figures so it is not read as exact.
 * At the floor of a calibration on `pairs` impostor pairs (no impostor scored as high) the
 * true rate is lower than can be measured: "1 in 3,000 or fewer".
 */
export function rateWords(rate: number | undefined, pairs?: number): string {
  if (rate === undefined || !Number.isFinite(rate)) return 'not calibrated';
  if (pairs !== undefined && pairs > 0 && rate <= 1 / pairs + 1e-12) return `1 in ${pairs.toLocaleString('en-US')} or fewer`;
  if (rate >= 0.5) return 'about 1 in 2 or more';
  const n = 1 / Math.max(rate, 1e-12);
  const digits = Math.max(0, Math.floor(Math.log10(n)) - 1);
  const rounded = Math.round(n / 10 ** digits) * 10 ** digits;
  return `about 1 in ${rounded.toLocaleString('en-US')}`;
}

export function scoreText(score: number): string {
  return score.toFixed(3);
}

/** The header's explanation of a score, with this gallery's threshold. */
export function scoreExplanation(threshold: number): string[] {
  return [
    `The score compares two faces: 1 is the same image, 0 unrelated faces. "match" means the score is at least ${threshold.toFixed(3)}, a level that about 1 in 1,000 pairs of different adults still reaches.`,
    'Children compared with photos taken years earlier score lower, and strangers reach a given score more often: about half of real child-to-adult pairs score below the match level. Look at every candidate, not only those marked match.',
    'The false-match rates say how often two different people score this high: for adult photos, and for a child photo against an adult photo. "1 in 3,000 or fewer" means that none of the pairs of different people measured scored as high. A face marked small, blurred or turned gives scores that mean less.',
  ];
}
