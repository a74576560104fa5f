// mobilenet search page: plain DOM, no framework. Views are driven by the URL hash:
//   #            all indexed images (click one to search)
//   #id=ID       nearest neighbours of an indexed image
//   #upload      nearest neighbours of the last dropped or chosen file
//   #dups        near-duplicate groups
// "why?" on a result opens a dialog that draws the query and the result side by side with a line per
// verified local-feature correspondence (GET /api/match?a=&b=, or POST /api/match?b= for an upload).
'use strict';

const $ = (selector) => document.querySelector(selector);

const state = {
  facts: null,
  k: 10,
  filters: new Set(), // 'key=value' conditions every result must meet
  upload: null, // File last dropped or chosen
  uploadUrl: null, // its object URL for the preview
  seq: 0, // answers to superseded requests are dropped
  query: null, // what the results were found for: { id, thumb } or { upload: File }
  whySeq: 0,
};

// ---- helpers ------------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

async function api(url, options) {
  const response = await fetch(url, options);
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    // not JSON; fall through to the status text
  }
  if (!response.ok) {
    throw new Error(body && body.error ? body.error : `${response.status} ${response.statusText}`);
  }
  return body;
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Pixel size and file size, e.g. "512×929 · 583 KB". */
function sizeText(image) {
  return `${image.width}×${image.height} · ${formatBytes(image.bytes)}`;
}

function setStatus(target, message, isError) {
  target.textContent = message || '';
  target.classList.toggle('error', Boolean(isError));
}

function params(extra) {
  const p = new URLSearchParams(extra);
  p.set('k', String(state.k));
  for (const f of state.filters) p.append('filter', f);
  return p;
}

/** Tags as short labels: plain tags by value, others as key:value. */
function tagLabels(tags) {
  return Object.entries(tags).flatMap(([key, values]) => values.map((v) => (key === 'tag' ? v : `${key}:${v}`)));
}

function matchesFilters(image) {
  return [...state.filters].every((f) => {
    const at = f.indexOf('=');
    return (image.tags[f.slice(0, at)] || []).includes(f.slice(at + 1));
  });
}

function filterText() {
  if (!state.filters.size) return '';
  return ' tagged ' + [...state.filters].map((f) => (f.startsWith('tag=') ? f.slice(4) : f)).join(' + ');
}

// ---- cards --------------------------------------------------------------------------------------

/** A clickable image card; `hit` may carry rank and score. */
function card(hit, options = {}) {
  const labels = tagLabels(hit.tags);
  const a = el('a', {
    class: 'card' + (options.self ? ' self' : ''),
    href: `#id=${encodeURIComponent(hit.id)}`,
    title: `${hit.path}\n${sizeText(hit)}` + (labels.length ? `\ntags: ${labels.join(', ')}` : ''),
    'data-id': hit.id,
  });
  a.append(el('span', { class: 'thumb' }, el('img', { src: hit.thumb, alt: hit.name, loading: 'lazy', decoding: 'async' })));
  if (hit.rank !== undefined && options.showRank !== false) a.append(el('span', { class: 'rank', text: String(hit.rank) }));
  const meta = el('span', { class: 'meta' }, el('span', { class: 'name', text: hit.name }));
  if (hit.score !== undefined) {
    const fill = el('i', { class: hit.score >= 0.9 ? 'high' : null });
    fill.style.width = `${Math.max(0, Math.min(1, hit.score)) * 100}%`;
    meta.append(el('span', { class: 'score-row' },
      el('span', { class: 'score', text: hit.score.toFixed(3) }),
      el('span', { class: 'bar', 'aria-hidden': 'true' }, fill)));
  }
  // Duplicate groups show each copy's size, so a user can tell which one to keep.
  if (options.showSize) meta.append(el('span', { class: 'size', text: sizeText(hit) }));
  if (labels.length) meta.append(el('span', { class: 'card-tags', text: labels.join(' · ') }));
  a.append(meta);
  if (options.why) {
    const why = el('button', { class: 'why', type: 'button', title: 'Why does this image match? Show the matched points', text: 'why?' });
    why.addEventListener('click', (e) => {
      e.preventDefault(); // the card is a link to its own search
      e.stopPropagation();
      showWhy(hit);
    });
    a.append(why);
  }
  return a;
}

// ---- index facts and tag filter -----------------------------------------------------------------

async function loadFacts() {
  try {
    const f = await api('/api/stats');
    state.facts = f;
    const facts = $('#facts');
    facts.replaceChildren(
      el('b', { text: f.count.toLocaleString() }), ` images · ${f.model} · layer `,
      el('b', { text: f.layer }), f.pooling && f.pooling !== 'none' ? ` (${f.pooling})` : '',
      ' · ', el('b', { text: f.format }), ` · ${f.dimensions}-d`,
      f.augment > 0 ? ` · augmented with ${f.augment} neighbours` : '');
    facts.title = `index: ${f.index}\npreprocessing: ${f.preprocessing}`;
    renderTags(f.tags || {});
  } catch (e) {
    setStatus($('#facts'), `index unavailable: ${e.message}`, true);
  }
}

/** One toggle chip per tag value; plain tags (key "tag") first, other keys as "key: value". */
function renderTags(tags) {
  const keys = Object.keys(tags).sort((a, b) => (a === 'tag' ? -1 : b === 'tag' ? 1 : a.localeCompare(b)));
  const chips = keys.flatMap((key) => Object.keys(tags[key]).sort().map((value) => {
    const filter = `${key}=${value}`;
    const b = el('button', { type: 'button', class: 'tag', 'aria-pressed': String(state.filters.has(filter)), 'data-filter': filter },
      key === 'tag' ? value : `${key}: ${value}`, el('small', { text: String(tags[key][value]) }));
    b.addEventListener('click', () => {
      if (state.filters.has(filter)) state.filters.delete(filter);
      else state.filters.add(filter);
      b.setAttribute('aria-pressed', String(state.filters.has(filter)));
      route();
    });
    return b;
  }));
  $('#tag-box').hidden = chips.length === 0;
  $('#tags').replaceChildren(...chips);
}

// ---- search view --------------------------------------------------------------------------------

function showQuery({ title, meta, image, original }) {
  $('#query-title').textContent = title;
  $('#query-meta').textContent = meta;
  const img = $('#query-img');
  if (image) {
    img.src = image;
    img.alt = title;
  } else {
    img.removeAttribute('src');
  }
  img.hidden = !image;
  $('#drop-hint').hidden = Boolean(image);
  const open = $('#open-original');
  open.hidden = !original;
  if (original) open.href = original;
  $('#show-all').hidden = !image;
}

function showResults(answer, what) {
  const grid = $('#grid');
  const hits = answer.hits;
  const filter = filterText();
  $('#grid-title').textContent = hits.length
    ? `${hits.length} nearest ${hits.length === 1 ? 'image' : 'images'}${filter} to ${what} · ${answer.tookMs} ms`
    : '';
  const selfId = answer.query.id;
  grid.replaceChildren(...hits.map((h) => card(h, { self: h.id === selfId, why: h.id !== selfId })));
  if (!hits.length) grid.append(el('p', { class: 'empty', text: `No indexed image${filter} to show.` }));
}

async function searchById(id) {
  const seq = ++state.seq;
  busy(true);
  try {
    const answer = await api(`/api/search?${params({ id })}`);
    if (seq !== state.seq) return;
    const q = answer.query;
    state.query = { id: q.id, thumb: q.thumb };
    showQuery({
      title: q.name,
      meta: sizeText(q) + (tagLabels(q.tags).length ? ` · tags: ${tagLabels(q.tags).join(', ')}` : ''),
      image: q.thumb,
      original: q.image,
    });
    showResults(answer, q.name);
    setStatus($('#status'), '');
  } catch (e) {
    if (seq === state.seq) fail(e);
  } finally {
    if (seq === state.seq) busy(false);
  }
}

async function searchUpload(file) {
  const seq = ++state.seq;
  busy(true);
  showQuery({ title: file.name || 'pasted image', meta: `uploaded · ${formatBytes(file.size)}`, image: state.uploadUrl });
  setStatus($('#status'), 'Searching…');
  try {
    const answer = await api(`/api/search?${params()}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: file,
    });
    if (seq !== state.seq) return;
    state.query = { upload: file, url: state.uploadUrl };
    const u = answer.query.upload;
    $('#query-meta').textContent = `uploaded · ${u.format} · ${formatBytes(u.bytes)}`;
    showResults(answer, 'your image');
    setStatus($('#status'), '');
  } catch (e) {
    if (seq === state.seq) fail(e);
  } finally {
    if (seq === state.seq) busy(false);
  }
}

async function browse() {
  const seq = ++state.seq;
  busy(true);
  showQuery({
    title: 'Find similar images',
    meta: 'Drop a photo, choose a file, or click any image below to see its nearest neighbours in the index.',
  });
  try {
    const answer = await api('/api/images?limit=1000');
    if (seq !== state.seq) return;
    const shown = answer.images.filter(matchesFilters);
    const filter = filterText();
    $('#grid-title').textContent = `${shown.length} indexed images${filter}` +
      (answer.total > answer.images.length ? ` (first ${answer.images.length} of ${answer.total})` : '') +
      ' — click one to find similar images';
    $('#grid').replaceChildren(...shown.map((i) => card(i)));
    if (!shown.length) $('#grid').append(el('p', { class: 'empty', text: `No indexed image${filter}.` }));
    setStatus($('#status'), '');
  } catch (e) {
    if (seq === state.seq) fail(e);
  } finally {
    if (seq === state.seq) busy(false);
  }
}

function busy(on) {
  $('#grid').setAttribute('aria-busy', String(on));
  if (on) setStatus($('#status'), 'Searching…');
}

/** A failed search: the error, and no results left over from an earlier search beneath it. */
function fail(e) {
  setStatus($('#status'), e.message, true);
  $('#grid-title').textContent = '';
  $('#grid').replaceChildren();
}

function acceptFile(file) {
  if (!file) return;
  const limit = state.facts && state.facts.limits ? state.facts.limits.maxUploadBytes : Infinity;
  if (file.size > limit) {
    state.seq++; // drop answers to searches still under way
    busy(false);
    showQuery({ title: file.name || 'pasted image', meta: `not uploaded · ${formatBytes(file.size)}` });
    fail(new Error(`${file.name} is ${formatBytes(file.size)}; the server accepts up to ${formatBytes(limit)}.`));
    return;
  }
  if (state.uploadUrl) URL.revokeObjectURL(state.uploadUrl);
  state.upload = file;
  state.uploadUrl = URL.createObjectURL(file);
  if (location.hash === '#upload') route();
  else location.hash = 'upload';
}

// ---- "why?" view -------------------------------------------------------------------------------

function loadImage(src) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('cannot show the image'));
    img.src = src;
  });
}

/** Verifies the current query against `hit` and draws both images with a line per inlier pair. */
async function showWhy(hit) {
  const q = state.query;
  if (!q) return;
  const seq = ++state.whySeq;
  const dialog = $('#why');
  const canvas = $('#why-canvas');
  canvas.dataset.lines = '0';
  canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
  $('#why-title').textContent = `Why ${hit.name}?`;
  setStatus($('#why-status'), 'Matching local features…');
  if (!dialog.open) dialog.showModal();
  try {
    const answer = q.upload
      ? await api(`/api/match?b=${encodeURIComponent(hit.id)}`, {
        method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: q.upload })
      : await api(`/api/match?a=${encodeURIComponent(q.id)}&b=${encodeURIComponent(hit.id)}`);
    const [imgA, imgB] = await Promise.all([loadImage(q.upload ? q.url : q.thumb), loadImage(hit.thumb)]);
    if (seq !== state.whySeq) return;
    const lines = drawMatch(canvas, imgA, answer.a, imgB, answer.b, answer.pairs);
    const verdict = answer.samePhoto ? 'the same photo' : answer.inliers >= 20 ? 'shared details' : 'no geometric match';
    setStatus($('#why-status'), `${answer.inliers} matched points (${lines} drawn) · transform ${answer.transform}` +
      ` · ${verdict} · ${answer.tookMs} ms`);
  } catch (e) {
    if (seq === state.whySeq) setStatus($('#why-status'), e.message, true);
  }
}

/**
 * Query left, result right, each scaled to one height; a line from each inlier point in A to its
 * partner in B (points are in each image's upright pixels, `a.width` × `a.height`). Returns the
 * number of lines drawn, also kept in the canvas's data-lines for tests.
 */
function drawMatch(canvas, imgA, a, imgB, b, pairs) {
  const height = 300;
  const gap = 16;
  const wa = Math.round(imgA.naturalWidth * height / imgA.naturalHeight);
  const wb = Math.round(imgB.naturalWidth * height / imgB.naturalHeight);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = (wa + gap + wb) * ratio;
  canvas.height = height * ratio;
  canvas.style.width = `${wa + gap + wb}px`;
  canvas.style.height = `${height}px`;
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, wa + gap + wb, height);
  g.drawImage(imgA, 0, 0, wa, height);
  g.drawImage(imgB, wa + gap, 0, wb, height);
  const sa = wa / a.width;
  const sb = wb / b.width;
  g.lineWidth = 1;
  let drawn = 0;
  pairs.forEach(([ax, ay, bx, by], i) => {
    g.strokeStyle = `hsla(${(i * 47) % 360}, 90%, 55%, 0.85)`;
    g.beginPath();
    g.moveTo(ax * sa, ay * sa);
    g.lineTo(wa + gap + bx * sb, by * sb);
    g.stroke();
    drawn++;
  });
  canvas.dataset.lines = String(drawn);
  return drawn;
}

// ---- near-duplicates view -----------------------------------------------------------------------

async function loadDuplicates() {
  const threshold = $('#threshold').value;
  const seq = ++state.seq;
  const groups = $('#groups');
  groups.setAttribute('aria-busy', 'true');
  setStatus($('#dups-status'), 'Looking for near-duplicates…');
  try {
    const answer = await api(`/api/dups?threshold=${encodeURIComponent(threshold)}`);
    if (seq !== state.seq) return;
    const n = answer.groups.reduce((sum, g) => sum + g.group.length, 0);
    setStatus($('#dups-status'), answer.groups.length
      ? `${answer.groups.length} groups, ${n} images, at similarity ≥ ${answer.threshold} · ${answer.tookMs} ms`
      : `No near-duplicates at similarity ≥ ${answer.threshold}. Lower the threshold to find looser matches.`);
    groups.replaceChildren(...answer.groups.map((g, i) => el('section', { class: 'group' },
      el('h3', { text: `Group ${i + 1} · ${g.group.length} images` }),
      el('div', { class: 'grid' }, ...g.group.map((h) => card(h, { showRank: false, showSize: true }))))));
  } catch (e) {
    if (seq === state.seq) setStatus($('#dups-status'), e.message, true);
  } finally {
    if (seq === state.seq) groups.setAttribute('aria-busy', 'false');
  }
}

// ---- routing ------------------------------------------------------------------------------------

function route() {
  const hash = location.hash.replace(/^#/, '');
  const dups = hash === 'dups';
  $('#view-search').hidden = dups;
  $('#view-dups').hidden = !dups;
  for (const [tab, on] of [[$('#tab-search'), !dups], [$('#tab-dups'), dups]]) {
    if (on) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  if (dups) {
    loadDuplicates();
  } else if (hash.startsWith('id=')) {
    searchById(decodeURIComponent(hash.slice(3)));
  } else if (hash === 'upload' && state.upload) {
    searchUpload(state.upload);
  } else {
    browse();
  }
  window.scrollTo({ top: 0 });
}

// ---- wiring -------------------------------------------------------------------------------------

function init() {
  // A file the browser cannot show (TIFF, or not an image at all): fall back to the drop hint.
  $('#query-img').addEventListener('error', () => {
    $('#query-img').hidden = true;
    $('#drop-hint').hidden = false;
  });
  $('#k').addEventListener('change', (e) => {
    state.k = Number(e.target.value);
    route();
  });
  $('#file').addEventListener('change', (e) => {
    acceptFile(e.target.files[0]);
    e.target.value = ''; // choosing the same file again still searches
  });
  $('#threshold').addEventListener('input', (e) => { $('#threshold-value').textContent = Number(e.target.value).toFixed(2); });
  $('#threshold').addEventListener('change', loadDuplicates);
  $('#why-close').addEventListener('click', () => $('#why').close());

  // Drop anywhere on the page.
  let depth = 0;
  const overlay = $('#drop-overlay');
  const hasFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    overlay.hidden = false;
    document.body.classList.add('dragging');
  });
  window.addEventListener('dragover', (e) => { if (hasFiles(e)) e.preventDefault(); });
  window.addEventListener('dragleave', () => {
    if (--depth <= 0) {
      depth = 0;
      overlay.hidden = true;
      document.body.classList.remove('dragging');
    }
  });
  window.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    document.body.classList.remove('dragging');
    acceptFile(e.dataTransfer.files[0]);
  });
  // Paste an image from the clipboard.
  window.addEventListener('paste', (e) => {
    const item = [...(e.clipboardData ? e.clipboardData.items : [])].find((i) => i.kind === 'file' && i.type.startsWith('image/'));
    if (item) acceptFile(item.getAsFile());
  });

  window.addEventListener('hashchange', route);
  loadFacts().then(route);
}

init();
