import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installNetworkGuard, type NetworkGuard } from '../../peers/network-guard.js';
import { createPeer, PEER_NAMES, type Peer } from '../../peers/peers.js';

const PUBLIC = resolve(import.meta.dirname, '../../../../shared/data/faces/public-domain');

describe('network guard', () => {
  it('blocks and records fetch and raw sockets, then restores them', async () => {
    const originalFetch = globalThis.fetch;
    const guard = installNetworkGuard();
    try {
      await expect(fetch('http://127.0.0.1:9/x')).rejects.toThrow(/blocked/);
      const net = await import('node:net');
      expect(() => net.connect({ host: '127.0.0.1', port: 9 })).toThrow(/blocked/);
      expect(guard.attempts).toEqual(['fetch http://127.0.0.1:9/x', 'socket 127.0.0.1:9']);
    } finally {
      guard.restore();
    }
    expect(globalThis.fetch).toBe(originalFetch);
  });
});

// Peers run one after the other: face-api keeps its nets in module state.
describe.each(PEER_NAMES)('peer %s, offline', (name) => {
  let guard: NetworkGuard;
  let peer: Peer;

  beforeAll(async () => {
    guard = installNetworkGuard();
    peer = await createPeer(name);
  });
  afterAll(() => {
    peer?.dispose();
    guard.restore();
  });

  it('ranks two photos of one man above photos of two men', async () => {
    const a = await peer.embed(join(PUBLIC, 'obama.jpg'));
    const b = await peer.embed(join(PUBLIC, 'obama2.jpg'));
    const c = await peer.embed(join(PUBLIC, 'biden.jpg'));
    expect(a && b && c).toBeTruthy();
    const same = peer.similarity(a!, b!);
    expect(same).toBeGreaterThan(peer.similarity(a!, c!));
    expect(same).toBeGreaterThan(peer.similarity(b!, c!));
  });

  it('returns null on a photo without a face', async () => {
    const grey = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    expect(await peer.embed(grey)).toBeNull();
  });

  it('made no network request', () => {
    expect(guard.attempts).toEqual([]);
  });
});
