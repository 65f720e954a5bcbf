// Mailbox enhancements; every page works without this file.
(function () {
  'use strict';
  function fold(s) {
    return s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .toLowerCase();
  }
  // Live filter of the ward/commune list as the resident types (with or without diacritics).
  var q = document.getElementById('f-unit_q');
  var sel = document.getElementById('f-unit');
  // the ward is a unit picker (src/web/unit-picker.js) since issue 15; this filter is for a plain <select>
  if (q && sel && sel.tagName === 'SELECT') {
    var all = Array.prototype.slice.call(sel.options);
    var filter = function () {
      var v = fold(q.value.trim());
      var first = null;
      var n = 0;
      all.forEach(function (o) {
        var show = !o.value || !v || fold(o.textContent).indexOf(v) >= 0;
        o.hidden = !show;
        o.disabled = !show;
        if (show && o.value) n++;
        if (show && o.value && !first) first = o;
      });
      var cur = sel.options[sel.selectedIndex];
      if (v && first && (!cur || !cur.value || cur.hidden)) {
        first.selected = true;
        sel.dispatchEvent(new Event('change'));
      }
      return n;
    };
    q.addEventListener('input', filter);
    q.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') e.preventDefault();
    });
    // "Tìm" filters here: with JavaScript the form is never sent, so chosen photos and everything typed stay as they are.
    var find = document.querySelector('button[value="find-unit"]');
    if (find) {
      find.addEventListener('click', function (e) {
        e.preventDefault();
        var n = filter();
        var out = document.getElementById('mb-unit-found');
        if (!out) {
          out = document.createElement('p');
          out.id = 'mb-unit-found';
          out.className = 'hint';
          out.setAttribute('role', 'status');
          find.parentNode.parentNode.insertBefore(out, find.parentNode.nextSibling);
        }
        out.textContent = (find.getAttribute('data-found') || '{n}').replace('{n}', String(n));
        sel.focus();
      });
    }
  }

  // Open reports near the pin (or in the ward), so the resident can follow one instead of filing it again.
  function wardValue() {
    if (!sel) return '';
    if (sel.tagName === 'SELECT') return sel.value;
    var r = sel.querySelector('input[type=radio]:checked');
    return r ? r.value : '';
  }
  var box = document.getElementById('mb-nearby');
  var lat = document.getElementById('f-lat');
  var lon = document.getElementById('f-lon');
  var cat = document.getElementById('f-category');
  if (box && lat && lon && window.fetch) {
    var seq = 0;
    var update = function () {
      var p = new URLSearchParams();
      if (lat.value && lon.value) {
        p.set('lat', lat.value);
        p.set('lon', lon.value);
      } else if (wardValue()) p.set('unit', wardValue());
      else {
        box.hidden = true;
        return;
      }
      if (cat && cat.value) p.set('category', cat.value);
      var mine = ++seq;
      fetch('/mailbox/nearby.json?' + p.toString(), { headers: { accept: 'application/json' } })
        .then(function (r) {
          return r.ok ? r.json() : { items: [] };
        })
        .then(function (d) {
          if (mine !== seq) return;
          var items = d.items || [];
          var list = document.getElementById('mb-nearby-list');
          var intro = document.getElementById('mb-nearby-intro');
          list.textContent = '';
          items.forEach(function (it) {
            var li = document.createElement('li');
            var a = document.createElement('a');
            a.href = it.url;
            a.textContent = it.title;
            var meta = document.createElement('span');
            meta.className = 'muted';
            meta.textContent =
              ' · ' +
              it.code +
              ' · ' +
              it.category +
              (it.distance_m != null
                ? ' · ' + (box.getAttribute('data-distance') || '').replace('{m}', it.distance_m)
                : '');
            li.appendChild(a);
            li.appendChild(meta);
            list.appendChild(li);
          });
          intro.textContent = (box.getAttribute('data-intro') || '').replace('{n}', String(items.length));
          box.hidden = items.length === 0;
        })
        .catch(function () {
          /* the hint is a help, never in the way */
        });
    };
    document.addEventListener('mb:pin', update);
    if (cat) cat.addEventListener('change', update);
    if (sel) sel.addEventListener('change', update);
  }

  // Photos are made smaller on the phone before sending (longest side 2,048 px, JPEG): faster on a weak
  // connection, and the copy sent carries no camera metadata. The server still cleans whatever arrives.
  var input = document.getElementById('f-photos');
  var MAX = 2048;
  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return resolve({ file: file });
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var w = img.naturalWidth,
          h = img.naturalHeight;
        var s = Math.min(1, MAX / Math.max(w, h));
        var c = document.createElement('canvas');
        c.width = Math.max(1, Math.round(w * s));
        c.height = Math.max(1, Math.round(h * s));
        var g = c.getContext('2d');
        g.fillStyle = '#fff';
        g.fillRect(0, 0, c.width, c.height);
        g.drawImage(img, 0, 0, c.width, c.height);
        URL.revokeObjectURL(url);
        c.toBlob(
          function (b) {
            if (!b || b.size >= file.size) return resolve({ file: file });
            resolve({
              file: new File([b], file.name.replace(/\.[^.]*$/, '') + '.jpg', {
                type: 'image/jpeg',
                lastModified: Date.now(),
              }),
              shrunk: true,
            });
          },
          'image/jpeg',
          0.85,
        );
      };
      img.onerror = function () {
        URL.revokeObjectURL(url);
        resolve({ file: file });
      };
      img.src = url;
    });
  }
  if (input && window.DataTransfer && window.Promise && HTMLCanvasElement.prototype.toBlob) {
    var note = document.getElementById('f-photos-status');
    var form = input.form;
    var busy = null;
    input.addEventListener('change', function () {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) return;
      if (note) note.textContent = input.getAttribute('data-shrinking') || '';
      busy = Promise.all(files.map(shrink)).then(function (out) {
        var dt = new DataTransfer();
        var n = 0;
        out.forEach(function (o) {
          dt.items.add(o.file);
          if (o.shrunk) n++;
        });
        input.files = dt.files;
        if (note) note.textContent = n ? (input.getAttribute('data-shrunk') || '').replace('{n}', String(n)) : '';
        input.setAttribute('data-ready', String(n));
        busy = null;
      });
    });
    // sending while photos are still being made smaller waits for them
    if (form) {
      form.addEventListener('submit', function (e) {
        if (!busy) return;
        e.preventDefault();
        var btn = e.submitter;
        busy.then(function () {
          if (form.requestSubmit) form.requestSubmit(btn || undefined);
          else form.submit();
        });
      });
    }
  }
})();
