/** The gallery as data and as bytes: export, save, load (validated whole before anything is added). */
import { decodeGallery, decodeOwnedGallery, encodeGallery, type EncodeOptions, type GalleryState } from '../gallery/format.js';
import { MatcherError, isMatcherError } from '../core/errors.js';
import type { MatcherCore } from './core.js';

export async function exportGallery(core: MatcherCore<unknown>): Promise<GalleryState> {
  core.guard.check();
  const state = await core.templates.export({ ...core.parts.embedder.modelId });
  return core.sightings.size ? { ...state, sightings: core.sightings.export() } : state;
}

export async function saveGallery(core: MatcherCore<unknown>, options: Pick<EncodeOptions, 'passphrase'>): Promise<Uint8Array> {
  return encodeGallery(await exportGallery(core), options);
}

/** The gallery of the bare model as this embedder (with its map) would have made it. */
function reprojected(state: GalleryState, project: (v: Float32Array) => Float32Array, id: GalleryState['embedder']): GalleryState {
  const map = (v: Float32Array) => project(Float32Array.from(v));
  return {
    embedder: { ...id },
    templates: state.templates.map((t) => ({ ...t, vector: map(t.vector) })),
    ...(state.sightings
      ? { sightings: { ...state.sightings, sightings: state.sightings.sightings.map((s) => ({ ...s, faces: s.faces.map((f) => ({ ...f, vector: map(f.vector) })) })) } }
      : {}),
  };
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
  const embedder = core.parts.embedder;
  let state: GalleryState;
  try {
    state = await decode(bytes, { ...options, expectEmbedder: { ...embedder.modelId } });
  } catch (e) {
    // A gallery of the bare model (before the embedder had its map) is brought into the map's
    // space: the map applies to stored embeddings exactly as to fresh ones. Any other model or
    // map is refused (GALLERY_MODEL_MISMATCH): a mapped embedding cannot be mapped back.
    const base = embedder.baseModelId;
    if (!isMatcherError(e, 'GALLERY_MODEL_MISMATCH') || !base || !embedder.project || base.id === embedder.modelId.id) throw e;
    state = await decode(bytes, { ...options, expectEmbedder: { ...base } }).catch(() => Promise.reject(e));
    state = reprojected(state, embedder.project.bind(embedder), embedder.modelId);
  }
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
