/** Files from drops and file inputs, with their folder path, and the child each one shows. */

const IMAGE = /\.(jpe?g|png|webp|gif|bmp|avif)$/i;

/** @typedef {{ file: File, path: string }} PathFile */

function readEntries(reader) {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = entry.createReader();
  // readEntries returns a batch at a time (100 in Chromium) until it returns none.
  for (;;) {
    const batch = await readEntries(reader);
    if (batch.length === 0) break;
    for (const e of batch) await walk(e, out);
  }
}

/** Every image in a drop, folders walked recursively. @returns {Promise<PathFile[]>} */
export async function filesFromDrop(dataTransfer) {
  const out = [];
  const entries = [...dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length) {
    for (const e of entries) await walk(e, out);
  } else {
    for (const file of dataTransfer.files) out.push({ file, path: file.name });
  }
  return out.filter((f) => IMAGE.test(f.file.name));
}

/** @returns {PathFile[]} */
export function filesFromInput(input) {
  return [...input.files]
    .map((file) => ({ file, path: file.webkitRelativePath || file.name }))
    .filter((f) => IMAGE.test(f.file.name));
}

/**
 * gallery/alice/1.jpg -> alice (the folder holding the photo, when it sits in a sub-folder);
 * alice_2.jpg or gallery/alice_2.jpg -> alice (the file name without a trailing number);
 * alice/1.jpg -> alice (a bare number names nobody: use the folder).
 */
export function subjectOf(path) {
  const parts = path.split('/').filter(Boolean);
  const name = parts[parts.length - 1] ?? '';
  if (parts.length >= 3) return parts[parts.length - 2];
  const stem = name
    .replace(/\.[^.]+$/, '')
    .replace(/[\s_-]*(\(\d+\)|\d+)$/, '')
    .trim();
  if (stem) return stem;
  return parts.length === 2 ? parts[0] : name;
}
