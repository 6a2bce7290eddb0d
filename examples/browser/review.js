/**
 * Panel 3, review: the same rows, decisions and exports as the CLI's HTML report, rendered by
 * the same code (dist/report.js). Decisions stay in the page until exported.
 */
import { LEADS_FORMAT, REPORT_CSS, calibrationPairsOf, caseCropStyles, caseImageKey, faceImageKey, faceLeads, installReview, renderFaces, renderReviewBar, sortFaceLeads } from './dist/report.js';
import { rawToCanvas } from './draw.js';

const toDataUrl = (raw) => rawToCanvas(raw).toDataURL('image/jpeg', 0.85);

/** The demo enrolls with metadata { file }: that is the case photo's name. */
const readDemoMetadata = (meta) => ({ ...(typeof meta.file === 'string' ? { photo: meta.file } : {}), fields: {} });

export function createReview(root, { threshold, embedderId, gallery }) {
  const reportId = crypto.randomUUID();
  const faces = [];
  const images = {};
  const noFace = [];
  let searched = 0;
  let handle;
  const style = document.createElement('style');
  document.head.append(style);
  // How many impostor pairs the false-match rates rest on ("1 in 3,000 or fewer" at the floor).
  let calibrationPairs;
  fetch('./models/calibration.json')
    .then((r) => r.json())
    .then((all) => (calibrationPairs = calibrationPairsOf(all, embedderId)))
    .catch(() => undefined);

  function render() {
    const previous = handle?.json();
    handle?.dispose();
    const size = gallery();
    const doc = {
      format: LEADS_FORMAT,
      version: 1,
      id: reportId,
      generatedAt: new Date().toISOString(),
      gallery: { name: 'this page', cases: size.subjects, photos: size.templates },
      threshold,
      ...(calibrationPairs ? { calibrationPairs } : {}),
      k: 5,
      searched: { photos: searched, of: searched, interrupted: false },
      noFace,
      problems: [],
      faces: sortFaceLeads(faces),
    };
    const { css, classOf } = caseCropStyles(doc, images);
    style.textContent = `${REPORT_CSS}\n${css}`;
    const fresh = root.cloneNode(false);
    fresh.innerHTML = `${renderReviewBar(doc)}${renderFaces(doc, images, classOf)}`;
    root.replaceWith(fresh);
    root = fresh;
    handle = installReview(root, { reportId, baseName: 'browser-review' });
    if (previous) handle.load(previous);
  }

  return {
    /** A searched photo: its identify() results and the aligned crop of each face (same order). */
    add(path, found, aligned) {
      searched++;
      if (found.length === 0) noFace.push(path);
      const leads = faceLeads(path, found, readDemoMetadata);
      leads.forEach((lead, i) => {
        if (aligned[i]) images[faceImageKey(lead)] = toDataUrl(aligned[i]);
      });
      faces.push(...leads);
      render();
    },
    /** The aligned crop of an enrolled photo, shown next to the leads it is the best match of. */
    casePhoto(templateId, raw) {
      images[caseImageKey({ templateId })] = toDataUrl(raw);
    },
    get handle() {
      return handle;
    },
  };
}
