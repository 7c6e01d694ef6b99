// Tiny element builder. Text always goes in through text nodes, so data from the
// backend (names typed into an HRIS, for instance) can never become markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'style') throw new Error('h(): inline styles are not allowed by the CSP');
    if (key.startsWith('on')) {
      if (typeof value !== 'function') throw new Error(`h(): ${key} must be a function`);
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      if (value) el.className = value;
    } else if (key === 'value' || key === 'checked' || key === 'indeterminate') {
      el[key] = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else if (value !== false && value != null) {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

// Appends children, skipping null and false so `cond && h(...)` reads naturally.
export function append(el, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.append(child);
    else el.append(document.createTextNode(String(child)));
  }
}

// Replaces everything inside `el` with `children`.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const profileHref = (id) => `#/people/${encodeURIComponent(id)}`;
export const mergeHref = (id) => `${profileHref(id)}/merge`;
// #/delete/ID[,ID…]: each id url-encoded (so a comma inside one stays %2C).
export const eraseHref = (ids) => `#/delete/${ids.map((id) => encodeURIComponent(id)).join(',')}`;
export const idsFromEraseRoute = (part) => [...new Set(part.split(',').filter(Boolean).map((s) => {
  try { return decodeURIComponent(s); } catch { return s; }
}))];
