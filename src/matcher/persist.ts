/** The gallery as data and as bytes: export, save, load (validated whole before anything is added). */
import { decodeGallery, decodeOwnedGallery, encodeGallery, type EncodeOptions, type GalleryState } from '../gallery/format.js';
import { MatcherError } from '../core/errors.js';
import type { MatcherCore } from './core.js';

export async function exportGallery(core: MatcherCore<unknown>): Promise<GalleryState> {
  core.guard.check();
  const state = await core.templates.export({ ...core.parts.embedder.modelId });
  return core.sightings.size ? { ...state, sightings: core.sightings.export() } : state;
}

export async function saveGallery(core: MatcherCore<unknown>, options: Pick<EncodeOptions, 'passphrase'>): Promise<Uint8Array> {
  return encodeGallery(await exportGallery(core), options);
}

/**
 * Adds every template of a saved gallery, refusing one made with another embedder. `owned`:
 * the caller never touches `bytes` again, so vectors may stay views into them (half the memory).
 */
export async function loadGallery(
  core: MatcherCore<unknown>,
  bytes: Uint8Array,
  options: { passphrase?: string },
  owned = false,
): Promise<{ templates: number }> {
  core.guard.check();
  const decode = owned ? decodeOwnedGallery : decodeGallery;
  const state = await decode(bytes, { ...options, expectEmbedder: { ...core.parts.embedder.modelId } });
  // All or nothing: sightings first (they only go into an empty store), taken out again when
  // the templates are refused.
  if (state.sightings) {
    if (core.sightings.size) throw new MatcherError('GALLERY_INVALID', 'this gallery holds sightings and the matcher has some already: load it into a matcher without sightings');
    await core.sightings.import(state.sightings);
  }
  try {
    await core.templates.add(state.templates, () => core.guard.check());
  } catch (e) {
    if (state.sightings) await core.sightings.clear();
    throw e;
  }
  return { templates: state.templates.length };
}
