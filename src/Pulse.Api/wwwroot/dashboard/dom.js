// Every piece of API data reaches the page through textContent: never as HTML.
export const $ = (id) => document.getElementById(id);

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (className) {
    node.className = className;
  }
  return node;
}

export const number = (n) => (n == null ? '–' : Number(n).toLocaleString('en-US'));

export function setText(id, text) {
  $(id).textContent = text;
}

/** Replaces a table body's rows; each row is a list of cells (text, or a node), numbers right-aligned. */
export function fillTable(tbody, rows, columns, emptyText) {
  const fresh = rows.map((cells) => {
    const tr = el('tr');
    cells.forEach((cell, i) => {
      const td = el('td', cell instanceof Node ? null : cell, columns[i] === 'num' ? 'num' : undefined);
      if (cell instanceof Node) {
        td.append(cell);
      }
      tr.append(td);
    });
    return tr;
  });
  if (fresh.length === 0) {
    const tr = el('tr');
    const td = el('td', emptyText, 'empty');
    td.colSpan = columns.length;
    tr.append(td);
    fresh.push(tr);
  }
  tbody.replaceChildren(...fresh);
}

/** A datetime-local input's value as an ISO time (the browser's time zone), or null when empty. */
export function isoFromLocal(value) {
  return value ? new Date(value).toISOString() : null;
}
