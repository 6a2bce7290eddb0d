/**
 * Blocks and records every outgoing connection made while a benchmark runs,
 * so a peer library that quietly fetches models or wasm from a CDN fails
 * loudly instead of being timed with network help.
 */
import net from 'node:net';

export interface NetworkGuard {
  /** Targets of the attempted connections / fetches, in order. */
  readonly attempts: string[];
  /** Puts the original functions back. */
  restore(): void;
}

export function installNetworkGuard(): NetworkGuard {
  const attempts: string[] = [];
  const originalConnect = net.Socket.prototype.connect;
  const originalFetch = globalThis.fetch;
  const blockedConnect = function (this: net.Socket, ...args: unknown[]) {
    // net.connect() hands Socket#connect its arguments already normalised into an array.
    const raw = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const first = raw as { host?: string; port?: number; path?: string } | number | string | undefined;
    const target =
      typeof first === 'object' && first !== null
        ? (first.path ?? `${first.host ?? 'localhost'}:${first.port ?? ''}`)
        : String(first);
    attempts.push(`socket ${target}`);
    throw new Error(`network access blocked during benchmark: ${target}`);
  };
  net.Socket.prototype.connect = blockedConnect as unknown as typeof originalConnect;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    attempts.push(`fetch ${url}`);
    throw new Error(`network access blocked during benchmark: ${url}`);
  }) as typeof fetch;
  return {
    attempts,
    restore() {
      net.Socket.prototype.connect = originalConnect;
      globalThis.fetch = originalFetch;
    },
  };
}
