// Test-only preload (node --import): records and refuses every way a Node program can reach
// the network from JavaScript. Never imported by library code.
// Each attempt is appended as one JSON line to $RF_NET_LOG, then the call throws.
import { appendFileSync } from 'node:fs';
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { syncBuiltinESMExports } from 'node:module';

const logFile = process.env.RF_NET_LOG;
if (!logFile) throw new Error('no-network-preload: RF_NET_LOG is not set');

function refuse(api, target) {
  let where = '';
  try {
    where = typeof target === 'string' ? target : JSON.stringify(target, (_, v) => (typeof v === 'function' ? undefined : v));
  } catch {
    where = String(target);
  }
  appendFileSync(logFile, `${JSON.stringify({ api, target: where, pid: process.pid, stack: new Error().stack?.split('\n').slice(2, 6) })}\n`);
  const e = new Error(`network access refused by test preload: ${api} ${where}`);
  e.code = 'ERR_TEST_NETWORK_FORBIDDEN';
  return e;
}

/** A Unix-domain socket or named pipe (a filesystem path: tsx's IPC, for one) is not network. */
function isLocalPipe(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]; // net.connect() passes its normalised [options, cb]
  return typeof first === 'string' ? Number.isNaN(Number(first)) : typeof first?.path === 'string';
}

const socketConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  if (isLocalPipe(args)) return socketConnect.apply(this, args);
  throw refuse('net.Socket.connect', args[0]);
};

tls.connect = (...args) => {
  throw refuse('tls.connect', args[0]);
};
dgram.createSocket = (...args) => {
  throw refuse('dgram.createSocket', args[0]);
};
for (const [name, mod] of [
  ['http', http],
  ['https', https],
]) {
  mod.request = (...args) => {
    throw refuse(`${name}.request`, args[0]);
  };
  mod.get = (...args) => {
    throw refuse(`${name}.get`, args[0]);
  };
}
globalThis.fetch = async (input) => {
  throw refuse('fetch', typeof input === 'string' ? input : String(input?.url ?? input));
};
if (typeof globalThis.WebSocket === 'function') {
  globalThis.WebSocket = function WebSocket(url) {
    throw refuse('WebSocket', String(url));
  };
}
for (const fn of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
  dns[fn] = (...args) => {
    throw refuse(`dns.${fn}`, args[0]);
  };
  dns.promises[fn] = async (...args) => {
    throw refuse(`dns.promises.${fn}`, args[0]);
  };
}
// Named ESM imports of builtins (import { request } from 'node:http') see the patched functions too.
syncBuiltinESMExports();
