// The slippy maps (Leaflet, served from this site): the report form's pin picker and the reports maps.
// Loaded only when MAP_TILE_URL is set; without it (or without JavaScript) the ward and address fields say where.
(function () {
  'use strict';
  var L = window.L;
  if (!L) return;
  function tiles(el) {
    return L.tileLayer(el.getAttribute('data-tiles'), {
      attribution: el.getAttribute('data-attribution') || '',
      maxZoom: 19,
      subdomains: 'abc',
    });
  }
  function centre(el) {
    var c = (el.getAttribute('data-center') || '16.4637,107.5909').split(',');
    return L.latLng(Number(c[0]), Number(c[1]));
  }
  var icon = L.divIcon({ className: 'mb-pin', iconSize: [26, 26], iconAnchor: [13, 26], popupAnchor: [0, -24] });

  // ---- the form's pin picker ----
  var place = document.getElementById('mb-place');
  var lat = document.getElementById('f-lat');
  var lon = document.getElementById('f-lon');
  if (place && lat && lon) {
    place.hidden = false;
    var el = document.getElementById('mb-map');
    var status = document.getElementById('mb-map-status');
    var say = function (k) {
      status.textContent = place.getAttribute('data-msg-' + k) || '';
    };
    var pinned = lat.value !== '' && lon.value !== '';
    var start = pinned ? L.latLng(Number(lat.value), Number(lon.value)) : centre(place);
    var map = L.map(el, { center: start, zoom: pinned ? 17 : 14 });
    el.setAttribute('aria-label', place.getAttribute('data-msg-label') || '');
    tiles(place).addTo(map);
    var label = place.getAttribute('data-msg-label') || '';
    var pin = L.marker(start, { draggable: true, icon: icon, title: label, alt: label, autoPan: true });
    var unpin = document.getElementById('mb-unpin');
    var setPin = function (ll, why) {
      lat.value = ll.lat.toFixed(6);
      lon.value = ll.lng.toFixed(6);
      pin.setLatLng(ll);
      if (!map.hasLayer(pin)) pin.addTo(map);
      unpin.hidden = false;
      if (why) say(why);
      document.dispatchEvent(new CustomEvent('mb:pin'));
    };
    if (pinned) {
      pin.addTo(map);
      unpin.hidden = false;
    }
    pin.on('dragend', function () {
      setPin(pin.getLatLng(), 'pinned');
    });
    map.on('click', function (e) {
      setPin(e.latlng, 'pinned');
    });
    unpin.addEventListener('click', function () {
      map.removeLayer(pin);
      lat.value = '';
      lon.value = '';
      unpin.hidden = true;
      status.textContent = '';
      document.dispatchEvent(new CustomEvent('mb:pin'));
    });

    var locate = document.getElementById('mb-locate');
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener('click', function () {
        say('locating');
        navigator.geolocation.getCurrentPosition(
          function (p) {
            var ll = L.latLng(p.coords.latitude, p.coords.longitude);
            map.setView(ll, 17);
            setPin(ll, 'located');
          },
          function (err) {
            say(err && err.code === 1 ? 'denied' : 'unavailable');
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
        );
      });
    }

    var gq = document.getElementById('f-geo_q');
    var gb = document.getElementById('mb-geo-find');
    var gr = document.getElementById('mb-geo-results');
    var endpoint = place.getAttribute('data-geocoder');
    if (gq && gb && gr && endpoint && window.fetch) {
      var choose = function (r) {
        var ll = L.latLng(r.lat, r.lon);
        map.setView(ll, 17);
        setPin(ll, 'pinned');
        gr.hidden = true;
        gr.textContent = '';
        var addr = document.getElementById('f-address');
        if (addr && !addr.value) addr.value = r.label.slice(0, Number(addr.getAttribute('maxlength')) || 300);
      };
      var search = function () {
        var q = gq.value.trim();
        if (q.length < 3) return say('badquery');
        say('searching');
        fetch(endpoint + '?q=' + encodeURIComponent(q), { headers: { accept: 'application/json' } })
          .then(function (r) {
            return r.ok ? r.json() : Promise.reject(r.status);
          })
          .then(function (d) {
            var res = d.results || [];
            gr.textContent = '';
            if (res.length === 0) {
              gr.hidden = true;
              return say('noresult');
            }
            if (res.length === 1) return choose(res[0]);
            say('results');
            res.forEach(function (r) {
              var li = document.createElement('li');
              var b = document.createElement('button');
              b.type = 'button';
              b.className = 'link';
              b.textContent = r.label;
              b.addEventListener('click', function () {
                choose(r);
              });
              li.appendChild(b);
              gr.appendChild(li);
            });
            gr.hidden = false;
          })
          .catch(function () {
            say('geocoderdown');
          });
      };
      gb.addEventListener('click', search);
      gq.addEventListener('keydown', function (e) {
        if (e.key === 'Enter') {
          e.preventDefault();
          search();
        }
      });
    }
  }

  // ---- the reports map (public list, staff inbox): the list below is the same data without JavaScript ----
  var big = document.getElementById('mb-reports-map');
  if (big) {
    big.hidden = false;
    var m2 = L.map(big, { center: centre(big), zoom: 13 });
    tiles(big).addTo(m2);
    var pts = [];
    Array.prototype.forEach.call(document.querySelectorAll('#mb-place-list li[data-lat]'), function (li) {
      var a = li.querySelector('a');
      var ll = L.latLng(Number(li.getAttribute('data-lat')), Number(li.getAttribute('data-lon')));
      L.marker(ll, { icon: icon, title: a.textContent, alt: a.textContent }).addTo(m2).bindPopup(a.cloneNode(true));
      pts.push(ll);
    });
    if (pts.length) m2.fitBounds(L.latLngBounds(pts), { maxZoom: 16, padding: [24, 24] });
  }
})();
