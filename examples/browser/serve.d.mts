import type { Server } from 'node:http';

export interface Mount {
  prefix: string;
  dir: string;
  allow?: RegExp;
}

export function defaultMounts(): Mount[];

export function startServer(options?: {
  port?: number;
  mounts?: Mount[];
  log?: (method: string | undefined, path: string, status: number) => void;
}): Promise<{ url: string; close: () => Promise<void>; server: Server }>;
