// Progressive enhancement for the public incident page: checks every 30 s whether a newer version
// exists and offers a reload at once (the page also refreshes itself without JavaScript).
(function () {
  'use strict';
  var root = document.querySelector('.crisis-incident[data-incident]');
  if (!root || !window.fetch) return;
  var id = root.getAttribute('data-incident');
  var shown = Number(root.getAttribute('data-version'));
  var banner = null;
  function check() {
    fetch('/incidents/' + id + '/version.json', { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d || d.version === shown || banner) return;
        banner = document.createElement('p');
        banner.className = 'notice warning crisis-live-banner';
        banner.setAttribute('role', 'status');
        var a = document.createElement('a');
        a.href = location.pathname;
        a.textContent = root.getAttribute('data-newer') || 'Reload';
        banner.appendChild(a);
        root.insertBefore(banner, root.firstChild);
      })
      .catch(function () {});
  }
  setInterval(check, 30000);
  document.addEventListener('visibilitychange', function () { if (!document.hidden) check(); });
})();
