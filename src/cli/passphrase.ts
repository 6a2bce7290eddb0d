/**
 * The gallery passphrase comes from a file (or stdin with `-`), never from the command line,
 * where other users of the machine can read it (ps, shell history). It is held in memory only.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from './command.js';

export const PASSPHRASE_HELP = `  --passphrase-file F   the gallery's passphrase is the first line of file F (- reads it from stdin);
                        never put it on the command line`;

export async function readPassphrase(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the passphrase file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line.length === 0) throw new UsageError(`the passphrase file ${file} is empty: its first line is the passphrase`);
  return line;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
