/** Runs the CLI from source in a child process, as a user would run `reunite-face`. */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(__dirname, '..', '..');
// tsx by path: the tests run the CLI from temporary folders, where `--import tsx` would not resolve.
const ARGS = ['--import', pathToFileURL(resolve(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, resolve(ROOT, 'src', 'cli.ts')];

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous on purpose: a blocking spawnSync starves vitest's own worker messages. */
export function cli(args: string[], options: { cwd?: string; timeout?: number } = {}): Promise<CliRun> {
  const child = cliProcess(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 300_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The same, without waiting: for tests that interrupt or kill a run. */
export function cliProcess(args: string[], options: { cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [...ARGS, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
}
