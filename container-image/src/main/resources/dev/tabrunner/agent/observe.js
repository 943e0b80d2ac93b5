// Lists the visible, interactive elements of the page with indices that stay the same while the document lives
// (kept in a data-tabrunner-index attribute), a CSS selector that finds each one again on a fresh page, and the
// page's text. Runs in the page: nothing here may throw on odd markup.
(opts) => {
  const maxElements = opts.maxElements;
  const maxText = opts.maxText;
  const INTERACTIVE = 'a[href], button, input, select, textarea, summary, [role=button], [role=link], '
      + '[role=checkbox], [role=radio], [role=tab], [role=menuitem], [role=option], [role=switch], '
      + '[role=combobox], [role=textbox], [role=searchbox], [contenteditable=""], [contenteditable=true], '
      + '[onclick]';
  const clip = (s, n) => {
    s = (s || '').replace(/\s+/g, ' ').trim();
    return s.length > n ? s.slice(0, n) + '…' : s;
  };
  const quote = (v) => '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  const unique = (sel) => {
    try { return document.querySelectorAll(sel).length === 1; } catch (e) { return false; }
  };
  const cssPath = (el) => {
    const tag = el.tagName.toLowerCase();
    if (el.id && unique('#' + CSS.escape(el.id))) return '#' + CSS.escape(el.id);
    for (const attr of ['name', 'data-testid', 'data-test', 'aria-label', 'placeholder']) {
      const v = el.getAttribute(attr);
      if (v) {
        const s = tag + '[' + attr + '=' + quote(v) + ']';
        if (unique(s)) return s;
      }
    }
    if (tag === 'a' && el.getAttribute('href')) {
      const s = 'a[href=' + quote(el.getAttribute('href')) + ']';
      if (unique(s)) return s;
    }
    const parts = [];
    let cur = el;
    while (cur && cur.nodeType === 1 && cur !== document.documentElement) {
      if (cur !== el && cur.id && unique('#' + CSS.escape(cur.id))) {
        parts.unshift('#' + CSS.escape(cur.id));
        return parts.join(' > ');
      }
      let n = 1;
      for (let sib = cur.previousElementSibling; sib; sib = sib.previousElementSibling) {
        if (sib.tagName === cur.tagName) n++;
      }
      parts.unshift(cur.tagName.toLowerCase() + ':nth-of-type(' + n + ')');
      cur = cur.parentElement;
    }
    parts.unshift('html');
    return parts.join(' > ');
  };
  const visible = (el) => {
    if (el.type === 'hidden') return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && parseFloat(s.opacity || '1') > 0;
  };
  const labelOf = (el) => {
    const aria = el.getAttribute('aria-label');
    if (aria) return aria;
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const t = by.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean)
          .map((e) => e.innerText).join(' ');
      if (t.trim()) return t;
    }
    if (el.labels && el.labels.length) return Array.from(el.labels).map((l) => l.innerText).join(' ');
    const wrap = el.closest('label');
    if (wrap && wrap !== el) return wrap.innerText;
    return '';
  };
  let next = 0;
  document.querySelectorAll('[data-tabrunner-index]').forEach((e) => {
    const n = parseInt(e.getAttribute('data-tabrunner-index'), 10);
    if (n >= next) next = n + 1;
  });
  const elements = [];
  let omitted = 0;
  for (const el of document.querySelectorAll(INTERACTIVE)) {
    if (!visible(el)) continue;
    if (elements.length >= maxElements) { omitted++; continue; }
    let idx = el.getAttribute('data-tabrunner-index');
    if (idx === null || isNaN(parseInt(idx, 10))) {
      idx = String(next++);
      el.setAttribute('data-tabrunner-index', idx);
    }
    const tag = el.tagName.toLowerCase();
    const type = tag === 'input' ? (el.type || 'text').toLowerCase() : '';
    const item = { index: parseInt(idx, 10), tag, selector: cssPath(el) };
    const role = el.getAttribute('role');
    if (role) item.role = role;
    if (tag === 'input' && type) item.type = type;
    const label = clip(labelOf(el), 80);
    if (label) item.label = label;
    if (tag === 'a' || tag === 'button' || tag === 'summary' || role || el.hasAttribute('onclick')) {
      const t = clip(el.innerText || el.value || el.getAttribute('title') || el.getAttribute('alt'), 80);
      if (t && t !== label) item.text = t;
    }
    const placeholder = el.getAttribute('placeholder');
    if (placeholder) item.placeholder = clip(placeholder, 80);
    if (tag === 'a') item.href = clip(el.getAttribute('href'), 200);
    if ((tag === 'input' || tag === 'textarea') && type !== 'password' && type !== 'file'
        && type !== 'checkbox' && type !== 'radio') {
      if (el.value) item.value = clip(el.value, 100);
    }
    if (tag === 'input' && type === 'password' && el.value) item.filled = true;
    if (tag === 'input' && type === 'file' && el.files && el.files.length) {
      item.value = Array.from(el.files).map((f) => f.name).join(', ');
    }
    if (type === 'checkbox' || type === 'radio' || role === 'checkbox' || role === 'switch') {
      item.checked = !!el.checked || el.getAttribute('aria-checked') === 'true';
    }
    if (tag === 'select') {
      item.options = Array.from(el.options).slice(0, 50).map((o) => clip(o.label || o.text, 60));
      if (el.selectedIndex >= 0 && el.options[el.selectedIndex]) {
        item.selectedOption = clip(el.options[el.selectedIndex].label || el.options[el.selectedIndex].text, 60);
      }
    }
    if (el.disabled) item.disabled = true;
    const r = el.getBoundingClientRect();
    if (r.bottom < 0 || r.top > window.innerHeight) item.offscreen = true;
    elements.push(item);
  }
  const raw = document.body ? document.body.innerText || '' : '';
  const text = raw.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter((l) => l).join('\n');
  return {
    url: location.href,
    title: document.title || '',
    elements,
    omitted,
    text: text.length > maxText ? text.slice(0, maxText) : text,
    textLength: text.length,
    scrollY: Math.round(window.scrollY),
    scrollHeight: Math.round(document.documentElement.scrollHeight),
    viewportHeight: window.innerHeight,
    viewportWidth: window.innerWidth,
  };
}
