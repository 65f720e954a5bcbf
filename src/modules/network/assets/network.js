// Progressive enhancement for the sharing network: show the share-sheet button only where the phone has one.
(function () {
  'use strict';
  if (navigator.share) document.documentElement.classList.add('has-share');
})();
