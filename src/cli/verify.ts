/** `reunite-face verify A B`: are the largest faces of two photos the same person? */
import { Matcher, decodeImage } from '../node.js';
import { type Command, EXIT, UsageError, bool } from './command.js';
import { MATCHER_HELP, matcherFlags, matcherOptions } from './flags.js';
import { aboutFile } from './images.js';

export const verify: Command = {
  name: 'verify',
  summary: 'same person? compares the largest face of two photos',
  help: `reunite-face verify PHOTO_A PHOTO_B [--crop] [--json]

Compares the largest face of each photo and prints the score and whether it reaches the
threshold. A match is a lead for a person to check, never proof of identity.

Options:
  --json                {score, match, threshold} on stdout
${MATCHER_HELP}`,
  options: { json: { type: 'boolean' }, ...matcherFlags },
  async run({ values, positionals }) {
    if (positionals.length !== 2) throw new UsageError(`verify takes two photos (got ${positionals.length})`);
    const [a, b] = positionals as [string, string];
    const m = await Matcher.create(matcherOptions(values));
    try {
      // Decoded here so that an unreadable photo is named in the error.
      const decode = (p: string) => decodeImage(p, m.options.limits).catch((e: unknown) => Promise.reject(aboutFile(e, p)));
      const r = await m.verify(await decode(a), await decode(b), { crop: bool(values, 'crop') });
      if (bool(values, 'json')) console.log(JSON.stringify(r));
      else console.log(`${r.match ? 'MATCH' : 'no match'}: score ${r.score.toFixed(4)} (threshold ${r.threshold.toFixed(4)})`);
      return EXIT.OK;
    } finally {
      await m.dispose();
    }
  },
};
