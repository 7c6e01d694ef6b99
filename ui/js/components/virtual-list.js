// A list that only keeps the rows in view (plus overscan) in the DOM. Rows have a
// fixed height and are positioned with transforms inside a spacer as tall as the
// whole list, so 100,000 entries cost the same DOM as 40.
import { h } from './dom.js';

export function createVirtualList({ rowHeight = 40, overscan = 10, testid, label, createRow, updateRow, onRange }) {
  const spacer = h('div', { class: 'vlist-spacer', role: 'presentation' });
  const el = h('div', { class: 'vlist', 'data-testid': testid, role: 'rowgroup', 'aria-label': label }, spacer);

  let total = 0;
  let version = 0; // bumped by refresh(): every live row is re-rendered once
  let frame = 0;
  const live = new Map(); // index → row element
  const pool = [];

  function visible() {
    const top = el.scrollTop;
    const height = el.clientHeight || window.innerHeight;
    return [Math.floor(top / rowHeight), Math.ceil((top + height) / rowHeight)];
  }

  function render() {
    frame = 0;
    const [top, bottom] = visible();
    const first = Math.max(0, top - overscan);
    const last = Math.min(total - 1, bottom + overscan);
    for (const [i, row] of live) {
      if (i < first || i > last) { live.delete(i); row.remove(); pool.push(row); }
    }
    for (let i = first; i <= last; i++) {
      let row = live.get(i);
      if (!row) {
        row = pool.pop() || createRow();
        row.vIndex = -1;
        row.style.transform = `translateY(${i * rowHeight}px)`;
        live.set(i, row);
        spacer.append(row);
      }
      if (row.vIndex !== i || row.vVersion !== version) {
        row.vIndex = i;
        row.vVersion = version;
        updateRow(row, i);
      }
    }
    if (last >= first) onRange?.(first, last);
  }

  const schedule = () => { if (!frame) frame = requestAnimationFrame(render); };
  el.addEventListener('scroll', schedule, { passive: true });
  const resize = new ResizeObserver(schedule);
  resize.observe(el);

  return {
    el,
    setTotal(n) {
      total = n;
      spacer.style.height = `${n * rowHeight}px`;
      schedule();
    },
    refresh() { version++; schedule(); },
    scrollToTop() { el.scrollTop = 0; schedule(); },
    // Rows currently in view, independent of how many rows are known yet.
    visibleRange: visible,
    destroy() { resize.disconnect(); cancelAnimationFrame(frame); },
  };
}
