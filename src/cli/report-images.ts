/**
 * The crops a report embeds: each street face from its photo, and each candidate's case photo
 * (checked against the SHA-256 recorded at enrolment, so a replaced photo is never shown as
 * the one that matched).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Box } from '../node.js';
import { type Images, type LeadsDoc, caseImageKey, faceImageKey } from '../report/index.js';
import { faceCrop } from './crops.js';

/** Finds the face box of a case photo whose box the gallery did not record. */
export type BoxFinder = (bytes: Uint8Array) => Promise<Box | undefined>;

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

export async function reportImages(doc: LeadsDoc, findBox?: BoxFinder): Promise<{ images: Images; notes: string[] }> {
  const images: Record<string, string> = {};
  const notes: string[] = [];
  await eachLimited(doc.faces, 4, async (f) => {
    try {
      images[faceImageKey(f)] = await faceCrop(f.photo, f.box);
    } catch (e) {
      notes.push(`no crop of ${f.photo}: ${(e as Error).message}`);
    }
  });
  const cases = new Map(doc.faces.flatMap((f) => f.candidates.map((c) => [caseImageKey(c), c] as const)));
  await eachLimited([...cases], 4, async ([key, c]) => {
    if (!c.casePhotoFile) return;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(c.casePhotoFile);
    } catch (e) {
      notes.push(`case photo ${c.casePhotoFile} not found (${(e as NodeJS.ErrnoException).code ?? 'unreadable'}); if the case folder moved, give it with --cases DIR`);
      return;
    }
    if (c.casePhotoSha256 && createHash('sha256').update(bytes).digest('hex') !== c.casePhotoSha256) {
      notes.push(`case photo ${c.casePhotoFile} changed since it was enrolled: not shown`);
      return;
    }
    const box = c.caseBox ?? (await findBox?.(bytes));
    if (!box) return;
    try {
      images[key] = await faceCrop(bytes, box);
    } catch (e) {
      notes.push(`no crop of ${c.casePhotoFile}: ${(e as Error).message}`);
    }
  });
  return { images, notes };
}
