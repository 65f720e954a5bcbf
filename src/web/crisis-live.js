// Progressive enhancement for the public incident page (there is no automatic refresh without JavaScript: the page
// shows the time of its last update and a reload link). With JavaScript: checks every data-poll seconds (and when the
// tab comes back into view) whether a newer version exists, replaces the page's content in place, keeps the reader's
// scroll position and focus, and announces the change politely through the live region.
(function () {
  'use strict';
  var root = document.querySelector('.crisis-incident[data-incident]');
  var live = document.querySelector('.crisis-live');
  if (!root || !window.fetch || !window.DOMParser) return;
  var id = root.getAttribute('data-incident');
  var shown = Number(root.getAttribute('data-version'));
  var busy = false;
  function announce(title) {
    if (!live) return;
    var tpl = live.getAttribute('data-template') || '{title}';
    live.textContent = '';
    // a fresh text node after a tick, so screen readers announce it even when the words repeat
    setTimeout(function () {
      live.textContent = tpl.replace('{title}', title);
    }, 50);
  }
  function update() {
    return fetch(location.pathname, { headers: { accept: 'text/html' }, cache: 'no-cache', credentials: 'same-origin' })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.querySelector('.crisis-incident[data-incident="' + id + '"]');
        if (!fresh) return;
        var active = document.activeElement && root.contains(document.activeElement);
        root.innerHTML = fresh.innerHTML;
        root.setAttribute('data-version', fresh.getAttribute('data-version'));
        shown = Number(fresh.getAttribute('data-version'));
        if (active) {
          root.setAttribute('tabindex', '-1');
          root.focus({ preventScroll: true });
        }
        var latest = root.querySelector('#h-latest + .statement h3');
        announce(latest ? latest.textContent : doc.title || '');
      });
  }
  function check() {
    if (busy) return;
    busy = true;
    fetch('/incidents/' + id + '/version.json', { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (d) {
        if (d && d.version !== shown) return update();
      })
      .catch(function () {})
      .then(function () {
        busy = false;
      });
  }
  var seconds = Number(root.getAttribute('data-poll')) || 30;
  setInterval(check, seconds * 1000);
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) check();
  });
  window.addEventListener('focus', check);
  window.addEventListener('online', check);
})();
