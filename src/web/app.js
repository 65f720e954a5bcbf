// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // On a phone the staff menu is one sideways-scrolling row: bring the current page's entry into view.
  var here = document.querySelector('.staff-nav [aria-current=page]');
  if (here && here.parentNode.scrollWidth > here.parentNode.clientWidth) {
    here.parentNode.scrollLeft = here.offsetLeft - here.parentNode.clientWidth / 2 + here.offsetWidth / 2;
  }
  // Focus the error summary so screen readers announce it after a failed submission.
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
  // Copy-to-clipboard buttons: <button data-copy="text" hidden> stay hidden where they cannot work.
  if (navigator.clipboard) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-copy][hidden]'), function (b) {
      b.hidden = false;
    });
  }
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('[data-copy]');
    if (!b || !navigator.clipboard) return;
    e.preventDefault();
    navigator.clipboard.writeText(b.getAttribute('data-copy')).then(function () {
      b.setAttribute('data-copied', '1');
      var label = b.getAttribute('data-copied-label');
      if (label) b.textContent = label;
    });
  });
  // Native share sheet: <button data-share-url="…" data-share-title="…">.
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('[data-share-url]');
    if (!b || !navigator.share) return;
    e.preventDefault();
    navigator
      .share({ url: b.getAttribute('data-share-url'), title: b.getAttribute('data-share-title') || document.title })
      .catch(function () {});
  });
})();
