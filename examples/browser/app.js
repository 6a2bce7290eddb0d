import * as reunite from './dist/web.js';
import { drawPhoto, rawToCanvas } from './draw.js';
import { filesFromDrop, filesFromInput, subjectOf } from './gallery-files.js';
import { createReview } from './review.js';
import { createSightings } from './sightings.js';

const { Matcher } = reunite;
const $ = (id) => document.getElementById(id);
const status = $('status');
const progress = $('progress');

/** One crop per subject enrolled in this visit (a loaded gallery holds vectors, not photos). */
const crops = new Map();
let busy = 0;
/** Panel 3: every searched face with its candidates, decisions and exports (see review.js). */
let review;
/** Panel 4: the searched photos grouped by child (see sightings.js). */
let sightings;

function setStatus(text, state) {
  status.textContent = text;
  status.dataset.state = state;
}

function describe(e) {
  return reunite.isMatcherError(e) ? `${e.code}: ${e.message}` : String(e?.message ?? e);
}

/** Runs one user action at a time-ish and keeps the status line honest; tests wait for data-state=ready. */
async function task(label, fn) {
  busy++;
  setStatus(`${label}…`, 'busy');
  try {
    await fn();
  } catch (e) {
    busy--;
    setStatus(`${label} failed: ${describe(e)}`, 'error');
    return;
  }
  busy--;
  if (busy === 0) setStatus(`Ready. ${isolation()}`, 'ready');
}

function isolation() {
  return self.crossOriginIsolated
    ? `WebAssembly threads on (${navigator.hardwareConcurrency} cores).`
    : 'Single-threaded: the page is not cross-origin isolated.';
}

function mb(n) {
  return (n / 1e6).toFixed(1);
}

async function createMatcher() {
  const seen = new Map();
  const matcher = await Matcher.create({
    onProgress(loaded, total, file) {
      seen.set(file, [loaded, total]);
      let l = 0;
      let t = 0;
      for (const [a, b] of seen.values()) {
        l += a;
        t += b;
      }
      progress.max = t;
      progress.value = l;
      setStatus(`Loading ${file}: ${mb(loaded)} / ${mb(total)} MB`, 'loading');
    },
  });
  progress.hidden = true;
  return matcher;
}

async function renderSubjects(m) {
  const state = await m.exportGallery();
  const count = new Map();
  for (const t of state.templates) count.set(t.subjectId, (count.get(t.subjectId) ?? 0) + 1);
  const list = $('subjects');
  list.replaceChildren();
  for (const [subject, n] of [...count].sort((a, b) => a[0].localeCompare(b[0]))) {
    const li = document.createElement('li');
    li.dataset.subject = subject;
    const crop = crops.get(subject);
    if (crop) li.append(rawToCanvas(crop));
    li.append(`${subject} (${n} photo${n === 1 ? '' : 's'})`);
    list.append(li);
  }
  $('gallery-size').textContent = `(${m.size.subjects} children, ${m.size.templates} photos)`;
  $('save').disabled = m.size.templates === 0;
}

async function enroll(m, files) {
  const problems = [];
  for (const [i, { file, path }] of files.entries()) {
    const subject = subjectOf(path);
    setStatus(`Adding ${path} as ${subject} (${i + 1}/${files.length})…`, 'busy');
    try {
      // embed() gives the aligned crop shown in the list; enroll() stores the template.
      const faces = await m.embed(file, { aligned: true });
      if (faces.length === 0) {
        problems.push(`${path}: no face found`);
        continue;
      }
      const { templateId } = await m.enroll(subject, file, { metadata: { file: path } });
      if (!crops.has(subject)) crops.set(subject, faces[0].aligned);
      review.casePhoto(templateId, faces[0].aligned);
    } catch (e) {
      problems.push(`${path}: ${describe(e)}`);
    }
  }
  await renderSubjects(m);
  showProblems($('subjects'), problems);
}

function showProblems(after, problems) {
  for (const p of problems) {
    const li = document.createElement('li');
    li.className = 'error';
    li.textContent = p;
    after.append(li);
  }
}

function candidateRow(c) {
  const tr = document.createElement('tr');
  tr.className = 'candidate';
  const crop = crops.get(c.subjectId);
  const img = document.createElement('td');
  if (crop) img.append(rawToCanvas(crop));
  const name = document.createElement('td');
  name.className = 'subject';
  name.textContent = c.subjectId;
  const score = document.createElement('td');
  score.className = 'score';
  score.textContent = c.score.toFixed(3);
  const verdict = document.createElement('td');
  verdict.className = c.match ? 'match' : 'nomatch';
  const fmr = c.falseMatchRate?.adult;
  verdict.textContent = (c.match ? 'match' : 'below threshold') + (fmr !== undefined ? ` · false-match rate ≈ ${fmr.toExponential(1)}` : '');
  tr.append(img, name, score, verdict);
  return tr;
}

async function search(m, files) {
  const results = $('results');
  for (const { file, path } of files) {
    const node = $('result-template').content.firstElementChild.cloneNode(true);
    node.querySelector('.name').textContent = path;
    results.prepend(node);
    try {
      const found = await m.identify(file, { k: 5 });
      // Same photo, same pipeline: faces come back in the same order (largest first).
      const embedded = await m.embed(file, { aligned: true });
      await drawPhoto(node.querySelector('canvas.photo'), file, found);
      review.add(path, found, embedded.map((e) => e.aligned));
      if (found.length > 0) await sightings.add(path, file, embedded.map((e) => e.aligned));
      const faces = node.querySelector('.faces');
      if (found.length === 0) faces.textContent = 'No face found.';
      found.forEach((r, i) => {
        const row = document.createElement('div');
        row.className = 'face';
        const aligned = embedded[i]?.aligned;
        row.append(aligned ? rawToCanvas(aligned) : document.createElement('div'));
        const table = document.createElement('table');
        const caption = table.createCaption();
        caption.textContent = `Face ${i + 1}`;
        if (r.candidates.length === 0) caption.textContent += ': the gallery is empty';
        for (const c of r.candidates) table.append(candidateRow(c));
        row.append(table);
        faces.append(row);
      });
    } catch (e) {
      node.querySelector('.faces').innerHTML = '';
      node.querySelector('.faces').append(Object.assign(document.createElement('p'), { className: 'error', textContent: describe(e) }));
    }
  }
}

function download(bytes, name) {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function dropZone(zone, onFiles) {
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    void filesFromDrop(e.dataTransfer).then(onFiles);
  });
}

function passphrase() {
  const p = $('passphrase').value;
  return p ? { passphrase: p } : {};
}

function wire(m) {
  const addGallery = (files) => task(`Adding ${files.length} photo(s)`, () => enroll(m, files));
  const runSearch = (files) => task(`Searching ${files.length} photo(s)`, () => search(m, files));
  dropZone($('gallery-drop'), addGallery);
  dropZone($('query-drop'), runSearch);
  for (const id of ['gallery-files', 'gallery-folder']) {
    $(id).addEventListener('change', (e) => {
      void addGallery(filesFromInput(e.target));
      e.target.value = '';
    });
  }
  $('query-files').addEventListener('change', (e) => {
    void runSearch(filesFromInput(e.target));
    e.target.value = '';
  });
  $('sample').addEventListener('click', () =>
    task('Adding the sample portraits', async () => {
      const files = [];
      for (const name of ['astronaut.png', 'grace_hopper.jpg']) {
        const res = await fetch(`./fixtures/${name}`);
        files.push({ file: new File([await res.blob()], name, { type: res.headers.get('content-type') ?? '' }), path: name });
      }
      await enroll(m, files);
    }),
  );
  $('merge-groups').addEventListener('click', () => task('Merging groups', () => sightings.merge()));
  $('save').addEventListener('click', () =>
    task('Saving the gallery', async () => download(await m.save(passphrase()), 'gallery.rfgal')),
  );
  $('load').addEventListener('change', (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    void task(`Loading ${file.name}`, async () => {
      await m.loadGallery(new Uint8Array(await file.arrayBuffer()), passphrase());
      await renderSubjects(m);
      await sightings.render();
    });
  });
}

/** Tests and the console reach the library and the live matcher here. */
const ready = (async () => {
  try {
    const m = await createMatcher();
    review = createReview($('review-root'), { threshold: m.threshold, embedderId: m.embedderId.id, gallery: () => m.size });
    sightings = createSightings($('sightings-root'), m, { describe });
    wire(m);
    setStatus(`Ready. ${isolation()}`, 'ready');
    return m;
  } catch (e) {
    setStatus(`Could not start: ${describe(e)}`, 'error');
    throw e;
  }
})();
window.reuniteDemo = { module: reunite, ready };

// Offline after the first visit: sw.js serves the page, the library and ORT's wasm from its cache.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((e) => console.warn(`offline mode unavailable: ${e.message}`));
}
