// Display formats. The backend sends UTC ISO strings; people read local time.

const pad = (n) => String(n).padStart(2, '0');
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parse(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

const localDate = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

// Today's local date plus some years and days, as "YYYY-MM-DD" for date inputs.
export function dateFromToday({ years = 0, days = 0 } = {}) {
  const d = new Date();
  d.setFullYear(d.getFullYear() + years, d.getMonth(), d.getDate() + days);
  return localDate(d);
}

// "2026-03-02T10:15:00Z" → "2026-03-02 10:15" in local time.
export function formatDateTime(iso) {
  if (!iso) return '';
  if (PLAIN_DATE.test(iso)) return iso;
  const d = parse(iso);
  return d ? `${localDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}` : String(iso);
}

// Dates are shown as given; a datetime is reduced to its local date.
export function formatDate(iso) {
  if (!iso) return '';
  if (PLAIN_DATE.test(iso)) return iso;
  const d = parse(iso);
  return d ? localDate(d) : String(iso);
}

export const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// "on_track" → "On track"
export function humanise(word) {
  if (!word) return '';
  const s = String(word).replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function initials(name) {
  const parts = String(name || '').trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] || '?').slice(0, 2);
  return letters.toUpperCase();
}
