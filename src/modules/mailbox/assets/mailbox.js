// Mailbox enhancements; every page works without this file.
(function () {
  'use strict';
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  }
  // Live filter of the ward/commune list as the resident types (with or without diacritics).
  var q = document.getElementById('f-unit_q');
  var sel = document.getElementById('f-unit');
  if (q && sel) {
    var all = Array.prototype.slice.call(sel.options);
    q.addEventListener('input', function () {
      var v = fold(q.value.trim());
      var first = null;
      all.forEach(function (o) {
        var show = !o.value || !v || fold(o.textContent).indexOf(v) >= 0;
        o.hidden = !show;
        o.disabled = !show;
        if (show && o.value && !first) first = o;
      });
      var cur = sel.options[sel.selectedIndex];
      if (v && first && (!cur || !cur.value || cur.hidden)) first.selected = true;
    });
    q.addEventListener('keydown', function (e) { if (e.key === 'Enter') e.preventDefault(); });
  }
  // A small slippy-map-free pin picker: 3x3 tiles around the centre; a tap fills latitude/longitude.
  var map = document.getElementById('mb-map');
  var lat = document.getElementById('f-lat');
  var lon = document.getElementById('f-lon');
  if (map && lat && lon && map.getAttribute('data-tiles')) {
    var tiles = map.getAttribute('data-tiles');
    var z = 15;
    var cLat = parseFloat(lat.value) || 16.4637, cLon = parseFloat(lon.value) || 107.5909;
    function px(la, lo) {
      var s = Math.pow(2, z) * 256;
      var x = (lo + 180) / 360 * s;
      var r = la * Math.PI / 180;
      var y = (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * s;
      return [x, y];
    }
    function ll(x, y) {
      var s = Math.pow(2, z) * 256;
      var lo = x / s * 360 - 180;
      var n = Math.PI - 2 * Math.PI * y / s;
      return [180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n))), lo];
    }
    map.hidden = false;
    var w = map.clientWidth, h = map.clientHeight;
    var c = px(cLat, cLon);
    var ox = c[0] - w / 2, oy = c[1] - h / 2;
    var tx0 = Math.floor(ox / 256), ty0 = Math.floor(oy / 256);
    for (var tx = tx0; tx * 256 < ox + w; tx++) {
      for (var ty = ty0; ty * 256 < oy + h; ty++) {
        var img = document.createElement('img');
        img.className = 'tile';
        img.alt = '';
        img.src = tiles.replace('{z}', z).replace('{x}', tx).replace('{y}', ty).replace(/\{[a-z]\}/, 'a');
        img.style.left = (tx * 256 - ox) + 'px';
        img.style.top = (ty * 256 - oy) + 'px';
        map.insertBefore(img, map.firstChild);
      }
    }
    var pin = document.createElement('span');
    pin.className = 'pin';
    pin.hidden = !(parseFloat(lat.value) && parseFloat(lon.value));
    pin.style.left = (w / 2) + 'px';
    pin.style.top = (h / 2) + 'px';
    map.appendChild(pin);
    map.addEventListener('click', function (e) {
      var rect = map.getBoundingClientRect();
      var x = e.clientX - rect.left, y = e.clientY - rect.top;
      var p = ll(ox + x, oy + y);
      lat.value = p[0].toFixed(6);
      lon.value = p[1].toFixed(6);
      pin.hidden = false;
      pin.style.left = x + 'px';
      pin.style.top = y + 'px';
    });
  }
  var geo = document.querySelector('.mb-geo');
  if (geo && navigator.geolocation && lat && lon) {
    geo.hidden = false;
    geo.addEventListener('click', function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        lat.value = p.coords.latitude.toFixed(6);
        lon.value = p.coords.longitude.toFixed(6);
      });
    });
  }
})();
