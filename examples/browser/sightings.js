/**
 * Panel 4, sightings: every searched photo also goes into the matcher's sightings, which groups
 * the faces that look like one child. Each group shows its faces side by side; a reviewer can
 * search the cases with the whole group, split off a face that is another child, or merge two
 * groups. The groups and those decisions are saved with the gallery.
 */
import { rawToCanvas } from './draw.js';

export function createSightings(root, m, { describe }) {
  /** Aligned crops of the faces added in this visit, by `sightingId#faceIndex` (a loaded gallery holds vectors, not photos). */
  const crops = new Map();
  const selected = new Set();
  let added = 0;

  function faceTile(group, f) {
    const tile = document.createElement('figure');
    tile.className = `sighting-face${f.outlier ? ' outlier' : ''}`;
    tile.dataset.face = `${f.sightingId}#${f.faceIndex}`;
    const crop = crops.get(tile.dataset.face);
    tile.append(crop ? rawToCanvas(crop) : Object.assign(document.createElement('div'), { className: 'no-crop', textContent: 'saved face' }));
    const caption = document.createElement('figcaption');
    caption.textContent = `${f.metadata.file ?? f.sightingId}${f.faceIndex ? ` #${f.faceIndex + 1}` : ''}${f.outlier ? ' · check' : ''}`;
    tile.append(caption);
    if (group.faces.length > 1) {
      const split = Object.assign(document.createElement('button'), { type: 'button', className: 'split', textContent: 'not this child' });
      split.addEventListener('click', () => act(() => m.splitGroup(group.groupId, [{ sightingId: f.sightingId, faceIndex: f.faceIndex }])));
      tile.append(split);
    }
    return tile;
  }

  function groupRow(g) {
    const row = document.createElement('article');
    row.className = 'sighting-group';
    row.dataset.group = g.groupId;
    const photos = new Set(g.faces.map((f) => f.sightingId)).size;
    const head = document.createElement('header');
    const pick = Object.assign(document.createElement('input'), { type: 'checkbox', checked: selected.has(g.groupId), title: 'select to merge' });
    pick.addEventListener('change', () => (pick.checked ? selected.add(g.groupId) : selected.delete(g.groupId)));
    const title = Object.assign(document.createElement('span'), { textContent: `${g.groupId}: ${photos} photo${photos === 1 ? '' : 's'}` });
    const searchBtn = Object.assign(document.createElement('button'), { type: 'button', className: 'search-group', textContent: 'Search the cases with this group' });
    const out = Object.assign(document.createElement('ol'), { className: 'group-candidates' });
    searchBtn.addEventListener('click', () =>
      act(async () => {
        const candidates = await m.identifyGroup(g.groupId, { k: 5 });
        out.replaceChildren(
          ...candidates.map((c) => {
            const li = document.createElement('li');
            li.className = c.match ? 'match' : 'nomatch';
            li.dataset.subject = c.subjectId;
            li.textContent = `${c.subjectId} ${c.score.toFixed(3)}${c.match ? ' match' : ''}`;
            return li;
          }),
        );
        if (candidates.length === 0) out.textContent = 'The gallery is empty.';
      }, false),
    );
    head.append(pick, title, searchBtn);
    const faces = document.createElement('div');
    faces.className = 'sighting-faces';
    faces.append(...g.faces.map((f) => faceTile(g, f)));
    row.append(head, faces, out);
    return row;
  }

  async function render() {
    const groups = (await m.groupSightings()).sort((a, b) => b.faces.length - a.faces.length);
    for (const id of [...selected]) if (!groups.some((g) => g.groupId === id)) selected.delete(id);
    root.replaceChildren(...groups.map(groupRow));
    root.dataset.groups = String(groups.length);
  }

  /** Runs a reviewer's action, then redraws (unless it only showed something). */
  async function act(fn, redraw = true) {
    try {
      await fn();
      if (redraw) await render();
    } catch (e) {
      root.prepend(Object.assign(document.createElement('p'), { className: 'error', textContent: describe(e) }));
    }
  }

  return {
    /** A searched photo: every face becomes a sighting; `aligned` are its faces' crops, largest first. */
    async add(path, file, aligned) {
      const sightingId = `${++added}:${path}`;
      const { faces } = await m.addSighting(file, { sightingId, metadata: { file: path } });
      faces.forEach((_, i) => aligned[i] && crops.set(`${sightingId}#${i}`, aligned[i]));
      await render();
    },
    render,
    merge: () =>
      act(async () => {
        const [a, ...rest] = [...selected];
        if (!a || rest.length === 0) throw new Error('select two or more groups to merge');
        let into = a;
        for (const b of rest) into = await m.mergeGroups(into, b);
        selected.clear();
      }),
  };
}
