// The event explorer: name, where DSL and time range -> a paged table; a DSL error is shown at the character it names.
import { getJson, ApiError } from './api.js';
import { $, el, fillTable, isoFromLocal, number } from './dom.js';

const AT_CHARACTER = /at character (\d+)/;

/** Wires the explorer's form; returns a function that runs its search (the page runs it once, newest events first). */
export function initExplorer(onAuthError) {
  let cursors = [];
  let current = null;

  async function search(after) {
    const params = new URLSearchParams();
    const name = $('explorer-name').value.trim();
    const where = $('explorer-where').value;
    const from = isoFromLocal($('explorer-from').value);
    const to = isoFromLocal($('explorer-to').value);
    if (name) params.set('eventName', name);
    if (where.trim()) params.set('where', where);
    if (from) params.set('from', from);
    if (to) params.set('to', to);
    params.set('limit', $('explorer-limit').value);
    params.set('order', 'desc');
    if (after != null) params.set('after', after);

    $('where-error').hidden = true;
    $('explorer-error').hidden = true;
    try {
      const body = await getJson(`/api/v1/events?${params}`);
      const { events, nextCursor } = body.data;
      current = { after, nextCursor };
      render(events);
      $('explorer-summary').textContent =
        `${number(events.length)} event${events.length === 1 ? '' : 's'}` + (cursors.length ? ` · page ${cursors.length + 1}` : '');
      $('explorer-next').hidden = nextCursor == null;
      $('explorer-first').hidden = after == null;
    } catch (error) {
      if (!(error instanceof ApiError)) {
        onAuthError(error);
        return;
      }
      const whereErrors = error.problem && error.problem.errors && error.problem.errors.where;
      if (whereErrors && whereErrors.length) {
        showWhereError(where, whereErrors[0]);
      } else {
        $('explorer-error').textContent = error.message;
        $('explorer-error').hidden = false;
      }
      fillTable($('explorer-rows'), [], columns, 'No results: fix the query above.');
      $('explorer-summary').textContent = '';
      $('explorer-next').hidden = true;
    }
  }

  const columns = ['num', 'text', 'text', 'text', 'text'];

  function render(events) {
    fillTable($('explorer-rows'), events.map((event) => [
      event.id,
      new Date(event.timestamp || event.createdAt).toLocaleString(),
      event.name,
      event.externalId,
      properties(event.properties),
    ]), columns, 'No events match.');
  }

  function properties(list) {
    const box = el('div', null, 'props');
    for (const property of list || []) {
      const chip = el('span', null, 'prop');
      chip.append(el('b', property.key), document.createTextNode(`=${property.value}`));
      box.append(chip);
    }
    return box;
  }

  /** The where string with the character the API named marked, and its message. */
  function showWhereError(where, message) {
    const match = AT_CHARACTER.exec(message);
    const at = match ? Math.min(Number(match[1]), where.length) : where.length;
    $('where-before').textContent = where.slice(0, at);
    $('where-at').textContent = where.slice(at, at + 1) || ' ';
    $('where-after').textContent = where.slice(at + 1);
    $('where-message').textContent = message;
    $('where-error').hidden = false;
  }

  $('explorer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    cursors = [];
    search(null);
  });
  $('explorer-next').addEventListener('click', () => {
    if (current && current.nextCursor != null) {
      cursors.push(current.after);
      search(current.nextCursor);
    }
  });
  $('explorer-first').addEventListener('click', () => {
    cursors = [];
    search(null);
  });

  return () => search(null);
}
